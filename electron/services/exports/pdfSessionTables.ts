import { ADVERSE_EVENT_KINDS, NUMBING_AGENTS, ZONES } from '../../../contract/domain.js';
import type { CourseProgress } from '../../../contract/progress.js';
import type { AdverseEvent, Session } from '../../../contract/schemas.js';
import { GRADE_LIMITS, checkRange, shortRangeText } from '../../../contract/warnings.js';
import { CONTENT_W, MARGIN, MUTED, OUTSIDE_INK, type Report } from './pdfLayout.js';
import { capital, clientName, type CourseData } from './pdfReportData.js';
import { drawTable } from './pdfTable.js';

// The report's tables: the sessions, their device and lots, the adverse events.

/** The session's numbing in a few words: "EMLA, 45 min, occluded". */
function numbingText(r: Report, s: Session): string {
  if (s.numbingAgent === 'none') return 'None';
  const agent =
    s.numbingAgent === 'other'
      ? `Other${s.numbingConcentration ? ` (${s.numbingConcentration})` : ''}`
      : NUMBING_AGENTS[s.numbingAgent].replace(/ \(.*\)$/, '');
  return [
    agent,
    s.numbingMinutes === null ? null : `${r.num(s.numbingMinutes)} min`,
    s.numbingOcclusion ? 'occluded' : null,
  ]
    .filter(Boolean)
    .join(', ');
}

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  cell: (s: Session, day: string, r: Report, data: CourseData) => string;
  color?: (s: Session, data: CourseData) => string | undefined;
}

/**
 * "Upper lip 2.5 (far above usual), 3 passes": a depth, marked when outside the zone's usual range,
 * and the zone's passes when they were recorded per zone.
 */
function depthText(r: Report, z: Session['zones'][number], usual: CourseProgress['usualDepth']): string {
  const check = checkRange(z.depthMm, usual[z.zone]);
  const passes = z.passes === undefined ? '' : `, ${r.f.passes(z.passes)}`;
  return `${ZONES[z.zone]} ${r.f.number(z.depthMm)}${check ? ` (${shortRangeText(check)})` : ''}${passes}`;
}

const SESSION_COLUMNS: Column[] = [
  { title: '#', width: 16, align: 'center', cell: (s) => String(s.number) },
  {
    title: 'Date',
    width: 58,
    cell: (s, day, r) => `${r.date(day)}\n${r.f.time(s.performedAt)}`,
  },
  { title: 'Practitioner', width: 60, cell: (s) => s.practitionerName },
  {
    title: 'Depth per zone (mm)',
    width: 80,
    cell: (s, _d, r, data) => s.zones.map((z) => depthText(r, z, data.progress.usualDepth)).join('\n'),
    color: (s, data) =>
      s.zones.some((z) => checkRange(z.depthMm, data.progress.usualDepth[z.zone])) ? OUTSIDE_INK : undefined,
  },
  { title: 'Passes', width: 33, align: 'center', cell: (s, _d, r) => r.num(s.passes) },
  { title: 'Numbing (agent, time)', width: 72, cell: (s, _d, r) => numbingText(r, s) },
  { title: 'Duration', width: 41, align: 'center', cell: (s, _d, r) => r.num(s.procedureMinutes, ' min') },
  { title: 'Pain /10', width: 28, align: 'center', cell: (s, _d, r) => r.num(s.pain) },
  {
    title: 'Erythema / edema / bleeding /3',
    width: 50,
    align: 'center',
    cell: (s, _d, r) => `${r.num(s.erythema)} / ${r.num(s.edema)} / ${r.num(s.bleeding)}`,
  },
  {
    title: 'GAIS pract. / client',
    width: 36,
    align: 'center',
    cell: (s, _d, r) => `${r.num(s.gaisPractitioner)} / ${r.num(s.gaisClient)}`,
  },
  {
    title: 'Satisf.\n/10',
    width: CONTENT_W - 476,
    align: 'center',
    cell: (s, _d, r) => r.num(s.satisfaction),
  },
];

/** Device, cartridge and the lots of each session: what a recall of a faulty lot needs on paper. */
const LOT_COLUMNS: Column[] = [
  { title: '#', width: 16, align: 'center', cell: (s) => String(s.number) },
  { title: 'Date', width: 58, cell: (_s, day, r) => r.date(day) },
  { title: 'Device', width: 80, cell: (s) => s.device },
  { title: 'Cartridge type', width: 60, cell: (s) => s.cartridgeType },
  { title: 'Cartridge lot', width: 70, cell: (s) => s.cartridgeLot },
  { title: 'Numbing lot', width: 70, cell: (s) => s.numbingLot },
  { title: 'Glide / serum', width: 87, cell: (s) => s.glide },
  { title: 'Glide lot', width: CONTENT_W - 441, cell: (s) => s.glideLot },
];

export async function drawSessions(r: Report, data: CourseData): Promise<void> {
  await r.heading('Sessions');
  if (data.sessions.length === 0) {
    r.text('No sessions recorded.', MARGIN.left, r.y, { size: 9, color: MUTED });
    r.y += 16;
    return;
  }
  const rows = data.sessions.map((s) => ({ s, day: data.dayOf.get(s.id) ?? s.performedAt.slice(0, 10) }));
  const table = (columns: Column[], of: typeof rows, continued: string) =>
    drawTable(
      r,
      columns.map((c) => ({
        ...c,
        text: (row: (typeof rows)[number]) => c.cell(row.s, row.day, r, data),
        color: (row: (typeof rows)[number]) => c.color?.(row.s, data),
      })),
      of,
      continued,
    );
  await table(SESSION_COLUMNS, rows, `Sessions of ${clientName(data.client)} (continued)`);
  const marked = data.sessions.some((s) =>
    s.zones.some((z) => checkRange(z.depthMm, data.progress.usualDepth[z.zone])),
  );
  if (marked) {
    const note =
      'Depths outside the usual range for the area are marked in red with how far outside: just (up to ' +
      `${r.f.number(GRADE_LIMITS.just)}× the nearer bound), well (up to ${r.f.number(GRADE_LIMITS.well)}×) or far (beyond).`;
    const h = r.heightOf(note, CONTENT_W, 8);
    await r.ensure(h + 6);
    r.text(note, MARGIN.left, r.y - 4, { size: 8, color: OUTSIDE_INK, width: CONTENT_W });
    r.y += h + 4;
  }
  const withLots = rows.filter(
    ({ s }) => s.device || s.cartridgeType || s.cartridgeLot || s.numbingLot || s.glideLot,
  );
  if (withLots.length === 0) return;
  await r.heading('Device and lots');
  await table(LOT_COLUMNS, withLots, `Device and lots of ${clientName(data.client)} (continued)`);
}

export async function drawAdverseEvents(r: Report, data: CourseData): Promise<void> {
  // Keep the heading with the table's header and first row (or the "none" line).
  await r.heading('Adverse events', data.events.length ? 56 : 20);
  if (data.events.length === 0) {
    r.text('No adverse events recorded.', MARGIN.left, r.y, { size: 9, color: MUTED });
    r.y += 16;
    return;
  }
  const sessionOf = new Map(data.sessions.map((s) => [s.id, s]));
  const rows = [...data.events].sort(
    (a, b) => a.onsetOn.localeCompare(b.onsetOn) || a.createdAt.localeCompare(b.createdAt),
  );
  await drawTable(
    r,
    [
      {
        title: 'Session',
        width: 66,
        text: (e: AdverseEvent) => {
          const s = sessionOf.get(e.sessionId);
          return s ? `#${s.number}, ${r.date(data.dayOf.get(s.id) ?? s.performedAt)}` : '-';
        },
      },
      { title: 'Event', width: 168, text: (e) => ADVERSE_EVENT_KINDS[e.kind] },
      { title: 'Severity', width: 46, text: (e) => capital(e.severity) },
      { title: 'Onset', width: 56, text: (e) => r.date(e.onsetOn) },
      { title: 'Resolved', width: 56, text: (e) => (e.resolvedOn ? r.date(e.resolvedOn) : 'Not yet') },
      { title: 'Notes', width: CONTENT_W - 392, text: (e) => e.notes || '-' },
    ],
    rows,
    `Adverse events of ${clientName(data.client)} (continued)`,
  );
}
