import { AREAS, CONTRAINDICATIONS, INDICATIONS } from '../../../contract/domain.js';
import { ageOn, localDay } from '../../../contract/format.js';
import { hasOutside, progressCharts } from '../../../charts/progressCharts.js';
import { chartBlockHeight, drawChartBlock, drawChartKey } from './pdfCharts.js';
import { drawFaceMap, drawFaceMapKey, faceMapHeight } from './pdfFaceMaps.js';
import { A4, ACCENT, CONTENT_W, INK, MARGIN, MUTED, yieldToLoop, type Report } from './pdfLayout.js';
import { capital, clientName, type CourseData } from './pdfReportData.js';
import { drawFacts } from './pdfTable.js';

// The report's sections above and between the tables: the clinic header, the client and course
// summary, the face maps and the progress charts.

const ROMAN = ['', 'I', 'II', 'III', 'IV', 'V', 'VI'];

export function drawClinicHeader(r: Report, practitioners: string[]): void {
  const { doc } = r;
  const top = MARGIN.top;
  r.text(r.clinicName || 'NeedleLog', MARGIN.left, top, {
    size: 17,
    bold: true,
    color: INK,
    width: CONTENT_W - 150,
  });
  r.text('Microneedling course report', A4.width - MARGIN.right - 200, top + 3, {
    size: 10.5,
    bold: true,
    color: ACCENT,
    width: 200,
    align: 'right',
  });
  r.text(
    practitioners.length
      ? `${practitioners.length === 1 ? 'Practitioner' : 'Practitioners'}: ${practitioners.join(', ')}`
      : 'No sessions recorded yet',
    MARGIN.left,
    top + 24,
    { size: 9, color: MUTED, width: CONTENT_W - 150 },
  );
  r.text(`Report date: ${r.date(localDay(r.generatedAt))}`, A4.width - MARGIN.right - 200, top + 24, {
    size: 9,
    color: MUTED,
    width: 200,
    align: 'right',
  });
  r.y = top + 42;
  doc.save().rect(MARGIN.left, r.y, CONTENT_W, 2.2).fill(ACCENT).restore();
  r.y += 12;
}

function clientFacts(r: Report, data: CourseData, today: string): [string, string][] {
  const c = data.client;
  const contra = c.contraindications.map((k) => CONTRAINDICATIONS[k]);
  return [
    ['Name', clientName(c)],
    [
      'Date of birth',
      c.dateOfBirth ? `${r.date(c.dateOfBirth)} (age ${ageOn(c.dateOfBirth, today) ?? '-'})` : 'Not recorded',
    ],
    [
      'Fitzpatrick type',
      c.fitzpatrick
        ? `${ROMAN[c.fitzpatrick]}${c.fitzpatrick >= 4 ? ' (higher PIH risk)' : ''}`
        : 'Not recorded',
    ],
    ['Contraindications', contra.length ? contra.join('; ') : 'None recorded'],
    ...(c.contraindicationNotes.trim()
      ? ([['Contraindication notes', c.contraindicationNotes.trim()]] as [string, string][])
      : []),
  ];
}

function courseFacts(r: Report, data: CourseData): [string, string][] {
  const c = data.course;
  const done = data.sessions.length;
  const nextDue =
    c.nextDueOn !== null
      ? `${r.date(c.nextDueOn)}${c.overdue ? ' (overdue)' : ''}`
      : c.status === 'active'
        ? 'All planned sessions done'
        : `None (course ${c.status})`;
  return [
    ['Treatment area', AREAS[c.area]],
    ['Indication', INDICATIONS[c.indication]],
    ['Sessions', `${done} done of ${c.plannedSessions} planned`],
    ['Planned interval', `Every ${c.plannedIntervalDays} days`],
    ['Status', capital(c.status)],
    ['Started', r.date(c.startedOn)],
    ['Next session due', nextDue],
  ];
}

export async function drawSummary(r: Report, data: CourseData): Promise<void> {
  const colW = (CONTENT_W - 24) / 2;
  const today = localDay(r.generatedAt);
  const hClient = drawFacts(r, 'Client', clientFacts(r, data, today), MARGIN.left, r.y, colW);
  const hCourse = drawFacts(r, 'Course', courseFacts(r, data), MARGIN.left + colW + 24, r.y, colW);
  r.y += Math.max(hClient, hCourse) + 4;
  if (data.course.notes.trim()) {
    const h = r.heightOf(data.course.notes.trim(), CONTENT_W - 92, 9);
    await r.ensure(h + 6);
    r.text('Course notes', MARGIN.left, r.y, { size: 8.5, color: MUTED, width: 86 });
    r.text(data.course.notes.trim(), MARGIN.left + 92, r.y, { size: 9, width: CONTENT_W - 92 });
    r.y += h + 6;
  }
}

const FACE_MAPS_PER_ROW = 4;
const FACE_MAP_GAP = 12;

/** One face zone map per session, four to a row, on one depth scale. */
export async function drawFaceMaps(r: Report, data: CourseData): Promise<void> {
  if (data.sessions.length === 0) return;
  const width = (CONTENT_W - (FACE_MAPS_PER_ROW - 1) * FACE_MAP_GAP) / FACE_MAPS_PER_ROW;
  const rowH = faceMapHeight(width) + 8;
  await r.heading('Face maps', rowH + 20);
  r.text('As the practitioner faces the client: R is the client’s right.', MARGIN.left, r.y, {
    size: 8,
    color: MUTED,
  });
  r.y += 12;
  r.y += drawFaceMapKey(r.doc, MARGIN.left, r.y) + 4;
  for (let i = 0; i < data.sessions.length; i += FACE_MAPS_PER_ROW) {
    if (await r.ensure(rowH)) {
      r.text(`Face maps of ${clientName(data.client)} (continued)`, MARGIN.left, r.y, {
        size: 8,
        color: MUTED,
      });
      r.y += 12;
    }
    data.sessions.slice(i, i + FACE_MAPS_PER_ROW).forEach((s, j) => {
      const day = data.dayOf.get(s.id) ?? s.performedAt.slice(0, 10);
      drawFaceMap(
        r.doc,
        MARGIN.left + j * (width + FACE_MAP_GAP),
        r.y,
        width,
        s,
        data.progress.usualDepth,
        `Session ${s.number} · ${r.date(day)}`,
        r.f,
      );
    });
    r.y += rowH;
    await yieldToLoop();
  }
}

export async function drawProgress(r: Report, data: CourseData): Promise<void> {
  const p = data.progress;
  if (p.sessions.length === 0) return;
  const charts = progressCharts(p, (n) => r.f.number(n));
  const firstH = chartBlockHeight(r.doc, charts[0]!, CONTENT_W);
  await r.heading('Progress', firstH + 20);
  r.y += drawChartKey(r.doc, MARGIN.left, r.y, p.lateAfterDays, charts.some(hasOutside)) + 4;
  for (const spec of charts) {
    await r.ensure(chartBlockHeight(r.doc, spec, CONTENT_W));
    r.y += drawChartBlock(r.doc, spec, p.sessions, r.f, MARGIN.left, r.y, CONTENT_W) + 6;
  }
}
