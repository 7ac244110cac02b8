import fs from 'node:fs';
import { Writable } from 'node:stream';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ZONE_KEYS } from '../../contract/domain.js';
import {
  CSV_HEADERS,
  csvLine,
  neutralise,
  streamCsv,
  writeCsv,
} from '../../electron/services/exports/exportCsv.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import { resolveSelection } from '../../electron/services/exports/selection.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';

let clinic: TestClinic | null = null;
afterEach(() => {
  clinic?.close();
  clinic = null;
});

/** A course whose client and session hold everything a CSV writer gets wrong. */
function trickyClinic() {
  clinic = openTestClinic();
  const { services } = clinic;
  const { practitioner, course } = seedCourse(clinic);
  const evil = services.clients.create({ firstName: '=HYPERLINK("x")', lastName: 'Zoë, "Zo" Ærø-Ñúñez' });
  const evilCourse = services.courses.create({
    clientId: evil.id,
    area: 'full_face',
    indication: 'acne_scars',
    plannedSessions: 3,
    plannedIntervalDays: 28,
    startedOn: '2026-03-02',
  });
  signConsent(services, evilCourse.id);
  const notes = 'Line one, with a comma\nline "two"\r\nthird: café';
  const s1 = services.sessions.create({
    courseId: evilCourse.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T09:30:00Z',
    zones: [
      { zone: 'cheek_left', depthMm: 1.5 },
      { zone: 'periorbital_left', depthMm: 0.25 },
    ],
    device: '+SkinPen',
    cartridgeLot: '-LOT 42',
    numbingAgent: 'emla',
    numbingMinutes: 45,
    numbingOcclusion: true,
    procedureMinutes: 35,
    pain: 4,
    aftercare: ['spf30_from_24h', 'no_makeup_24_48h'],
    satisfaction: 8,
    consentProcedure: true,
    photoConsent: 'record',
    notes,
    adverseEvents: [{ kind: 'pih', severity: 'moderate', onsetOn: '2026-03-05', resolvedOn: '2026-03-20' }],
  }).value;
  const s2 = services.sessions.create({
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-03T10:00:00Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.5 }],
    glide: '@hyaluronic',
    notes: '-2 pain after, "ok"',
  }).value;
  return { evil, evilCourse, course, s1, s2, notes };
}

async function exportToText(selection: object): Promise<string> {
  const file = path.join(tempDir(), 'out.csv');
  await writeCsv(clinic!.services.ctx, resolveSelection(clinic!.services.ctx, selection), file);
  return fs.readFileSync(file, 'utf8');
}

describe('CSV export', () => {
  it('reads back through csv-parse as the stored values, with a BOM, injection neutralised, numbers numeric', async () => {
    const { evil, s1, notes } = trickyClinic();
    const text = await exportToText({});
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text, { bom: true, columns: true, cast: false }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_HEADERS]);
    expect(rows).toHaveLength(2);
    const row = rows.find((r) => r.session_id === s1.id)!;
    // Formula-looking text is neutralised; the rest is byte for byte what is stored.
    expect(row.client_first_name).toBe(`'${evil.firstName}`);
    expect(row.client_first_name!.slice(1)).toBe('=HYPERLINK("x")');
    expect(row.client_last_name).toBe('Zoë, "Zo" Ærø-Ñúñez');
    expect(row.notes).toBe(notes);
    expect(row.device).toBe("'+SkinPen");
    expect(row.cartridge_lot).toBe("'-LOT 42");
    // Numbers are written as bare numbers (not neutralised, not quoted) and parse back as numbers.
    const typed = parse(text, { bom: true, columns: true, cast: true }) as Record<string, unknown>[];
    const t = typed.find((r) => r.session_id === s1.id)!;
    expect(t.depth_cheek_left_mm).toBe(1.5);
    expect(t.depth_periorbital_left_mm).toBe(0.25);
    expect(t.depth_upper_lip_mm).toBe('');
    expect(t.numbing_minutes).toBe(45);
    expect(t.procedure_minutes).toBe(35);
    expect(t.pain_0_10).toBe(4);
    expect(t.satisfaction_0_10).toBe(8);
    expect(t.session_number).toBe(1);
    expect(row.numbing_occlusion).toBe('yes');
    expect(row.consent_procedure).toBe('yes');
    expect(row.aftercare).toBe('spf30_from_24h;no_makeup_24_48h');
    expect(row.adverse_events).toBe('pih (moderate, onset 2026-03-05, resolved 2026-03-20)');
    expect(row.performed_at).toBe('2026-03-02T09:30:00.000Z');
    expect(row.course_area).toBe('full_face');
    const other = rows.find((r) => r.session_id !== s1.id)!;
    expect(other.glide).toBe("'@hyaluronic");
    expect(other.notes).toBe('\'-2 pain after, "ok"');
    // One depth column per zone, units in the header.
    for (const z of ZONE_KEYS) expect(CSV_HEADERS).toContain(`depth_${z}_mm`);
    // RFC 4180: records end in CRLF; a quote inside a field is doubled.
    expect(text).toContain('"Zoë, ""Zo"" Ærø-Ñúñez"');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('writes RFC 4180 records that csv-parse reads back exactly', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'line\nbreak', 'cr\rlf\r\n', '', 0, 2.75, -1, 'Zoë ✓'];
    expect(csvLine(['a', 'b,c', 'd"e'])).toBe('a,"b,c","d""e"\r\n');
    const text = csvLine(cells) + csvLine(['x', 'y']);
    expect(parse(text, { cast: false, relax_column_count: true })).toEqual([cells.map(String), ['x', 'y']]);
  });

  it('neutralises only text that starts like a formula', () => {
    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise('\rx')).toBe("'\rx");
    expect(neutralise('Zoë')).toBe('Zoë');
    expect(neutralise('2026-03-02')).toBe('2026-03-02');
  });

  it('selects one course, one client, a period, a practitioner and an area; deleted sessions only on request', async () => {
    const { evil, evilCourse, course, s1, s2 } = trickyClinic();
    const ids = (sel: object) => resolveSelection(clinic!.services.ctx, sel).sessionIds;
    expect(ids({ courseId: course.id })).toEqual([s2.id]);
    expect(ids({ clientId: evil.id })).toEqual([s1.id]);
    expect(ids({ from: '2026-03-03', to: '2026-03-03' })).toEqual([s2.id]);
    expect(ids({ area: 'full_face' })).toEqual([s1.id]);
    expect(ids({ practitionerId: s1.practitionerId })).toHaveLength(2);
    clinic!.services.sessions.delete({ id: s1.id });
    expect(ids({ courseId: evilCourse.id })).toEqual([]);
    expect(ids({ courseId: evilCourse.id, includeDeleted: true })).toEqual([s1.id]);
    expect(() => ids({ courseId: course.id, clientId: evil.id })).toThrow(/not both/);
  });

  it('writes to the exports folder under a name of its selection', async () => {
    const { course } = trickyClinic();
    const ctx = clinic!.services.ctx;
    const prepared = prepareExport(ctx, { format: 'csv', selection: { courseId: course.id } });
    expect(path.dirname(prepared.file)).toBe(path.join(clinic!.dir, 'exports'));
    expect(path.basename(prepared.file)).toMatch(
      /^needlelog-course-okafor-zoe-lips_perioral-2026-03-02-.*\.csv$/,
    );
    const r = await runExport(ctx, prepared);
    expect(r.sessions).toBe(1);
    expect(fs.readdirSync(path.dirname(prepared.file)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  /** Two interleaved courses, two practitioners, two sessions at the same instant, one deleted. */
  function numberedClinic() {
    clinic = openTestClinic();
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const other = services.practitioners.create({ name: 'Dr Lena Park' });
    const client = services.clients.create({ firstName: 'Mina', lastName: 'Ito' });
    const course2 = services.courses.create({
      clientId: client.id,
      area: 'full_face',
      indication: 'acne_scars',
      plannedSessions: 6,
      plannedIntervalDays: 28,
      startedOn: '2026-01-05',
    });
    signConsent(services, course2.id, 'Mina Ito');
    const at = ['2026-01-05', '2026-02-02', '2026-02-02', '2026-03-02', '2026-03-30', '2026-04-27'];
    const made = at.flatMap((day, i) =>
      [course, course2].map(
        (k, j) =>
          services.sessions.create({
            courseId: k.id,
            practitionerId: (i + j) % 2 ? other.id : practitioner.id,
            performedAt: `${day}T10:00:00Z`,
            zones: [{ zone: 'chin', depthMm: 0.5 }],
          }).value,
      ),
    );
    services.sessions.delete({ id: made[6]!.id });
    return { course, course2, other };
  }

  it('numbers each session as its course list does, whatever the selection and with deleted ones', async () => {
    const { course, course2, other } = numberedClinic();
    const { services } = clinic!;
    const listed = new Map(
      [course, course2].flatMap((k) =>
        services.sessions.list({ courseId: k.id }).map((s) => [s.id, s.number]),
      ),
    );
    expect(new Set(listed.values()).size).toBeGreaterThan(4);
    const selections: object[] = [
      {},
      { includeDeleted: true },
      { from: '2026-02-02' },
      { from: '2026-03-02', to: '2026-03-30', includeDeleted: true },
      { practitionerId: other.id },
      { courseId: course2.id, from: '2026-03-01' },
    ];
    for (const selection of selections) {
      const rows = parse(await exportToText(selection), { bom: true, columns: true }) as Record<
        string,
        string
      >[];
      expect(rows.length).toBe(resolveSelection(services.ctx, selection).sessionIds.length);
      for (const r of rows) {
        expect([selection, r.session_id, Number(r.session_number)]).toEqual([
          selection,
          r.session_id,
          r.deleted_at ? 0 : listed.get(r.session_id!),
        ]);
      }
    }
  });

  it('writes one snapshot: a session saved while the export runs neither appears nor renumbers', async () => {
    const { course, other } = numberedClinic();
    const { services } = clinic!;
    // One practitioner's sessions: numbered by the database, where a backdated save would show.
    const selection = resolveSelection(services.ctx, { practitionerId: other.id });
    const before = new Map(services.sessions.list({ courseId: course.id }).map((s) => [s.id, s.number]));
    let text = '';
    let saved = false;
    const out = new Writable({
      write(chunk: Buffer, _enc, next) {
        text += chunk.toString('utf8');
        // Between the first batch and the end: an earlier session lands in the first course.
        if (!saved) {
          saved = true;
          services.sessions.create({
            courseId: course.id,
            practitionerId: services.practitioners.list()[0]!.id,
            performedAt: '2026-01-01T09:00:00Z',
            zones: [{ zone: 'chin', depthMm: 0.5 }],
          });
        }
        next();
      },
    });
    // Batches of 4 rows, so that most of the file is read after the save.
    await streamCsv(services.ctx, selection, out, () => {}, 4);
    expect(saved).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.session_id)).toEqual(selection.sessionIds);
    const mine = rows.filter((r) => r.course_id === course.id);
    expect(mine.length).toBeGreaterThan(1);
    for (const r of mine) expect(Number(r.session_number)).toBe(before.get(r.session_id!));
    // The save itself went through: the course list now numbers them one higher.
    const after = new Map(services.sessions.list({ courseId: course.id }).map((s) => [s.id, s.number]));
    for (const r of mine) expect(after.get(r.session_id!)).toBe(before.get(r.session_id!)! + 1);
  });
});
