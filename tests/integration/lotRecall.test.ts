import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch.js';
import { createJobs } from '../../electron/api/jobs.js';
import { newCaller, startSession } from '../../electron/api/signIn.js';
import { recentLots } from '../../db/lots.js';
import { CSV_HEADERS, writeCsv } from '../../electron/services/exports/exportCsv.js';
import { RECALL_CSV_COLUMNS, writeRecallCsv } from '../../electron/services/exports/recallCsv.js';
import { resolveSelection } from '../../electron/services/exports/selection.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';

let clinic: TestClinic | null = null;
const fail = (message: string, err?: unknown) => {
  throw new Error(`${message}: ${String(err)}`);
};
afterEach(() => {
  clinic?.close();
  clinic = null;
});

/**
 * Three clients: Okafor's session used cartridge lot L2450-17; Ærø's used the same code typed in
 * lower case as its numbing lot, and another lot as cartridge; Novak's used neither, and a deleted
 * session of Novak's used L2450-17 as glide lot.
 */
function recallClinic() {
  clinic = openTestClinic();
  const { services } = clinic;
  const { practitioner, client, course } = seedCourse(clinic);
  const other = services.practitioners.create({ name: 'Marta Silva' });
  const newCourse = (clientId: string) => {
    const made = services.courses.create({
      clientId,
      area: 'cheeks',
      indication: 'acne_scars',
      plannedSessions: 3,
      plannedIntervalDays: 28,
      startedOn: '2026-03-01',
    });
    signConsent(services, made.id);
    return made;
  };
  const aero = services.clients.create({
    firstName: '=cmd',
    lastName: 'Ærø, "Jr"',
    phone: '+44 20 7946 0000',
    email: 'aero@example.org',
    dateOfBirth: '1990-05-04',
  });
  const novak = services.clients.create({ firstName: 'Ivan', lastName: 'Novak', phone: '0161 496 0000' });
  const aeroCourse = newCourse(aero.id);
  const novakCourse = newCourse(novak.id);
  const session = (courseId: string, performedAt: string, lots: object, practitionerId = practitioner.id) =>
    services.sessions.create({
      courseId,
      practitionerId,
      performedAt,
      zones: [{ zone: courseId === course.id ? 'upper_lip' : 'cheek_left', depthMm: 0.5 }],
      ...lots,
    }).value;
  const s1 = session(course.id, '2026-03-02T09:30:00.000Z', {
    cartridgeLot: 'L2450-17',
    numbingLot: 'EM-88',
    glideLot: 'HA-1',
  });
  const s2 = session(
    aeroCourse.id,
    '2026-03-05T14:00:00.000Z',
    { cartridgeLot: 'L2451-02', numbingAgent: 'emla', numbingLot: '  l2450-17 ', glide: 'Hyaluronic acid' },
    other.id,
  );
  const s3 = session(course.id, '2026-03-30T09:30:00.000Z', {
    cartridgeLot: 'L2450-17',
    numbingLot: 'EM-90',
  });
  session(novakCourse.id, '2026-03-06T11:00:00.000Z', { cartridgeLot: 'L9999-01' });
  const deleted = session(novakCourse.id, '2026-03-07T11:00:00.000Z', { glideLot: 'L2450-17' });
  services.sessions.delete({ id: deleted.id });
  return { practitioner, other, client, aero, novak, s1, s2, s3, deleted };
}

describe('lot recall', () => {
  it('finds every session and client that used a lot as any of its three lots, case-insensitively', () => {
    const { client, aero, s1, s2, s3, other } = recallClinic();
    const r = clinic!.services.lots.recall({ lot: 'L2450-17' });
    expect(r.sessions.map((s) => s.sessionId)).toEqual([s1.id, s2.id, s3.id]);
    expect(r.sessions.map((s) => s.usedAs)).toEqual([['cartridge'], ['numbing'], ['cartridge']]);
    expect(r.sessions[1]).toMatchObject({
      numbingLot: 'l2450-17', // stored trimmed, as typed
      clientFirstName: '=cmd',
      clientPhone: '+44 20 7946 0000',
      clientEmail: 'aero@example.org',
      practitionerId: other.id,
      practitionerName: 'Marta Silva',
      sessionNumber: 1,
      deletedAt: null,
    });
    expect(r.sessions[2]!.sessionNumber).toBe(2);
    expect(r.byKind).toEqual({ cartridge: 2, numbing: 1, glide: 0 });
    expect(r.firstUse).toBe('2026-03-02T09:30:00.000Z');
    expect(r.lastUse).toBe('2026-03-30T09:30:00.000Z');
    // Clients by name: Ærø sorts with A, before Okafor.
    expect(r.clients.map((c) => [c.clientId, c.sessions, c.firstUse, c.lastUse, c.usedAs])).toEqual([
      [aero.id, 1, '2026-03-05T14:00:00.000Z', '2026-03-05T14:00:00.000Z', ['numbing']],
      [client.id, 2, '2026-03-02T09:30:00.000Z', '2026-03-30T09:30:00.000Z', ['cartridge']],
    ]);
    // Lower case and surrounding spaces find the same.
    expect(clinic!.services.lots.recall({ lot: ' l2450-17 ' }).sessions).toHaveLength(3);
    // Exact, not prefix: L2450-1 is another lot.
    expect(clinic!.services.lots.recall({ lot: 'L2450-1' }).sessions).toEqual([]);
  });

  it('leaves deleted records out unless asked, then marks them', () => {
    const { deleted, novak } = recallClinic();
    expect(clinic!.services.lots.recall({ lot: 'L2450-17' }).clients.map((c) => c.clientId)).not.toContain(
      novak.id,
    );
    const all = clinic!.services.lots.recall({ lot: 'L2450-17', includeDeleted: true });
    const row = all.sessions.find((s) => s.sessionId === deleted.id);
    expect(row).toMatchObject({ usedAs: ['glide'], sessionNumber: 0 });
    expect(row!.deletedAt).not.toBeNull();
    expect(all.byKind.glide).toBe(1);
  });

  it('refuses an empty or overlong lot with a sentence for the screen', () => {
    recallClinic();
    expect(() => clinic!.services.lots.recall({ lot: '   ' })).toThrow('Type the lot number to look for.');
    expect(() => clinic!.services.lots.recall({ lot: 'x'.repeat(101) })).toThrow(/at most 100 characters/);
    expect(() => clinic!.services.lots.recent({ kind: 'syringe' as never })).toThrow(/Choose cartridge/);
  });

  it('suggests earlier lots per kind, most recent first, filtered by prefix, live sessions only', () => {
    recallClinic();
    const { lots } = clinic!.services;
    expect(lots.recent({ kind: 'cartridge' }).map((l) => [l.lot, l.lastUsedAt])).toEqual([
      ['L2450-17', '2026-03-30T09:30:00.000Z'],
      ['L9999-01', '2026-03-06T11:00:00.000Z'],
      ['L2451-02', '2026-03-05T14:00:00.000Z'],
    ]);
    expect(lots.recent({ kind: 'cartridge', prefix: 'l245' }).map((l) => l.lot)).toEqual([
      'L2450-17',
      'L2451-02',
    ]);
    expect(lots.recent({ kind: 'numbing' }).map((l) => l.lot)).toEqual(['EM-90', 'l2450-17', 'EM-88']);
    // The deleted session's glide lot is not suggested.
    expect(lots.recent({ kind: 'glide' }).map((l) => l.lot)).toEqual(['HA-1']);
    // All kinds: each lot once per kind it was used as.
    expect(lots.recent({ prefix: 'L2450' }).map((l) => [l.lot, l.kind])).toEqual([
      ['L2450-17', 'cartridge'],
      ['l2450-17', 'numbing'],
    ]);
    expect(lots.recent({ kind: 'cartridge', limit: 1 })).toHaveLength(1);
  });

  it('suggests older lots beyond the latest sessions, each once, with its true last use', () => {
    recallClinic();
    // A window of one session (the latest, 30 Mar): the other lots come from the lot index.
    const rows = recentLots(clinic!.db, ['cartridge'], 'l', 12, 1);
    expect(rows).toEqual([
      { lot: 'L2450-17', kind: 'cartridge', lastUsedAt: '2026-03-30T09:30:00.000Z' },
      { lot: 'L9999-01', kind: 'cartridge', lastUsedAt: '2026-03-06T11:00:00.000Z' },
      { lot: 'L2451-02', kind: 'cartridge', lastUsedAt: '2026-03-05T14:00:00.000Z' },
    ]);
    // Room for two: the latest session's lot, then the most recent of the next lots by the index.
    expect(recentLots(clinic!.db, ['cartridge'], '', 2, 1).map((r) => r.lot)).toEqual([
      'L2450-17',
      'L9999-01',
    ]);
  });

  it('looks lots up through the lot indexes and the latest sessions through the date index', () => {
    recallClinic();
    const plan = (sql: string) =>
      (clinic!.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ lot: 'x', prefix: 'x' }) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
    for (const col of ['cartridge_lot', 'numbing_lot', 'glide_lot']) {
      expect(plan(`SELECT id FROM sessions WHERE ${col} = @lot COLLATE NOCASE AND ${col} <> ''`)).toContain(
        `USING INDEX sessions_by_${col}`,
      );
      expect(
        plan(
          `SELECT DISTINCT ${col} COLLATE NOCASE FROM sessions WHERE ${col} <> '' AND deleted_at IS NULL
           AND ${col} >= @prefix COLLATE NOCASE AND ${col} < @prefix || char(1114111) COLLATE NOCASE LIMIT 12`,
        ),
      ).toContain(`USING COVERING INDEX sessions_by_${col}`);
    }
    expect(
      plan(
        `SELECT cartridge_lot FROM sessions WHERE deleted_at IS NULL ORDER BY performed_at DESC LIMIT 2000`,
      ),
    ).toContain('USING INDEX sessions_by_date');
  });

  it('writes the recall as CSV with the export conventions: BOM, CRLF, formula guard, ISO dates', async () => {
    const { s2 } = recallClinic();
    const recall = clinic!.services.lots.recall({ lot: 'l2450-17' });
    const file = path.join(tempDir(), 'recall.csv');
    expect(await writeRecallCsv(recall, file)).toEqual({ rows: 3 });
    const text = fs.readFileSync(file, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe(`\ufeff${RECALL_CSV_COLUMNS.map((c) => c.header).join(',')}`);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    const aero = rows.find((r) => r.session_id === s2.id)!;
    expect(aero).toMatchObject({
      lot: 'l2450-17',
      used_as: 'numbing',
      performed_at: '2026-03-05T14:00:00.000Z',
      client_first_name: "'=cmd",
      client_last_name: 'Ærø, "Jr"',
      client_date_of_birth: '1990-05-04',
      client_phone: "'+44 20 7946 0000",
      numbing_agent: 'emla',
      numbing_lot: 'l2450-17',
      cartridge_lot: 'L2451-02',
      practitioner_name: 'Marta Silva',
      deleted_at: '',
    });
  });

  it('puts the three lots in the session CSV, each after its product', async () => {
    const { s1 } = recallClinic();
    const file = path.join(tempDir(), 'sessions.csv');
    await writeCsv(clinic!.services.ctx, resolveSelection(clinic!.services.ctx, {}), file);
    const rows = parse(fs.readFileSync(file), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.session_id === s1.id)).toMatchObject({
      cartridge_lot: 'L2450-17',
      numbing_lot: 'EM-88',
      glide_lot: 'HA-1',
    });
    expect(CSV_HEADERS.indexOf('glide_lot')).toBe(CSV_HEADERS.indexOf('glide') + 1);
    expect(CSV_HEADERS.indexOf('numbing_lot')).toBe(CSV_HEADERS.indexOf('numbing_agent') + 1);
  });

  it('exports the recall as a job whose file the export channels hand over', async () => {
    const { other } = recallClinic();
    const jobs = createJobs();
    const deps = { services: clinic!.services, jobs };
    // Not signed in: refused. Signed in as a practitioner (not a manager): a recall is theirs to run.
    const caller = newCaller();
    expect(await dispatch(deps, 'lots.recall', { lot: 'L2450-17' }, fail, caller)).toMatchObject({
      ok: false,
    });
    startSession(clinic!.services, caller, other.id);
    expect(await dispatch(deps, 'lots.recall', { lot: 'L2450-17' }, fail, caller)).toMatchObject({
      ok: true,
    });
    const started = await dispatch(deps, 'lots.exportRecall', { lot: 'L2450-17' }, fail, caller);
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    let result;
    for (let i = 0; i < 100; i++) {
      result = await dispatch(deps, 'exports.result', { jobId }, fail, caller);
      if (result.ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(result).toMatchObject({ ok: true, value: { format: 'csv', sessions: 3 } });
    const name = (result as { value: { fileName: string } }).value.fileName;
    expect(name).toMatch(/^needlelog-lot-recall-L2450-17-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    const rows = parse(fs.readFileSync(path.join(clinic!.dir, 'exports', name), 'utf8'), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(rows.map((r) => r.used_as)).toEqual(['cartridge', 'numbing', 'cartridge']);
    // The export is in the activity log, as the practitioner who ran it.
    expect(
      clinic!.db
        .prepare(`SELECT action, entity, entity_id AS entityId, actor_id AS actorId FROM access_log`)
        .all(),
    ).toContainEqual({ action: 'export', entity: 'lot', entityId: 'L2450-17', actorId: other.id });
    const refused = await dispatch(deps, 'lots.exportRecall', { lot: '' }, fail, caller);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'lot' } });
  });
});
