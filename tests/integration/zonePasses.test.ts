import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ZONE_KEYS } from '../../contract/domain.js';
import { AppError } from '../../electron/services/errors.js';
import { CSV_HEADERS, writeCsv } from '../../electron/services/exports/exportCsv.js';
import { importBundle } from '../../electron/services/exports/importBundle.js';
import { resolveSelection } from '../../electron/services/exports/selection.js';
import { editedBundle, exportZip, readZip } from '../support/bundles.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { TEST_PIN } from '../support/signIn.js';
import { openRooms, recordTables, testClinicKey, testRelay } from '../support/sync.js';

// Passes per zone (issue 16, face zone map) through every path a zone's depth takes: the API
// (create, read, update, signed-session addenda), an archive bundle out and back in (and one from
// before passes were kept per zone), the CSV export, and sync between two rooms.

const opened: { close(): void }[] = [];
afterEach(() => {
  opened.splice(0).forEach((x) => x.close());
});

function clinic(): TestClinic {
  const c = openTestClinic();
  opened.push(c);
  return c;
}

const ZONES = [
  { zone: 'forehead' as const, depthMm: 0.5, passes: 2 },
  { zone: 'cheek_left' as const, depthMm: 1.5, passes: 4 },
  { zone: 'cheek_right' as const, depthMm: 1.5, passes: 4 },
  // Passes not recorded for this one: left out, not null, not the session's passes.
  { zone: 'nose' as const, depthMm: 0.5 },
];

function logSession(c: TestClinic, area = 'full_face') {
  const seeded = seedCourse(c, { area, indication: 'acne_scars' });
  const session = c.services.sessions.create({
    courseId: seeded.course.id,
    practitionerId: seeded.practitioner.id,
    performedAt: '2026-03-02T10:00:00Z',
    zones: ZONES,
    passes: 3,
  }).value;
  return { ...seeded, session };
}

describe('passes per zone', () => {
  it('are saved, read, changed and cleared per zone; the session’s passes stay its own', () => {
    const c = clinic();
    const { session } = logSession(c);
    expect(session.zones).toEqual(ZONES);
    expect(session.passes).toBe(3);
    const read = c.services.sessions.get({ id: session.id });
    expect(read.zones).toEqual(ZONES);
    expect('passes' in read.zones[3]!).toBe(false);
    expect(
      c.db
        .prepare(`SELECT zone, passes FROM session_zones WHERE session_id = ? ORDER BY position`)
        .all(session.id),
    ).toEqual([
      { zone: 'forehead', passes: 2 },
      { zone: 'cheek_left', passes: 4 },
      { zone: 'cheek_right', passes: 4 },
      { zone: 'nose', passes: null },
    ]);

    // Edited: the forehead gets a third pass, the left cheek's passes are cleared (null from a form).
    const edited = c.services.sessions.update({
      id: session.id,
      patch: {
        zones: [
          { zone: 'forehead', depthMm: 0.5, passes: 3 },
          { zone: 'cheek_left', depthMm: 1.5, passes: null },
          { zone: 'cheek_right', depthMm: 1.5, passes: 4 },
          { zone: 'nose', depthMm: 0.5, passes: 1 },
        ],
      },
    });
    expect(c.services.sessions.get({ id: session.id }).zones).toEqual([
      { zone: 'forehead', depthMm: 0.5, passes: 3 },
      { zone: 'cheek_left', depthMm: 1.5 },
      { zone: 'cheek_right', depthMm: 1.5, passes: 4 },
      { zone: 'nose', depthMm: 0.5, passes: 1 },
    ]);
    expect(edited.value.passes).toBe(3);
    // The change is in the session's audit row, before and after.
    const audit = c.services.audit.list({ entity: 'session', entityId: session.id });
    const update = audit.find((a) => a.action === 'update')!;
    expect((update.before as { zones: unknown }).zones).toEqual(ZONES);
  });

  it('refuse a count outside 1–20 or not whole, with a sentence naming the zone’s passes field', () => {
    const c = clinic();
    const { session } = logSession(c);
    for (const passes of [0, 21, 2.5, 'four']) {
      let err: unknown;
      try {
        c.services.sessions.update({
          id: session.id,
          patch: { zones: [{ zone: 'forehead', depthMm: 0.5, passes: passes as number }] },
        });
      } catch (e) {
        err = e;
      }
      expect(err, String(passes)).toBeInstanceOf(AppError);
      expect((err as AppError).message).toBe('Passes must be a whole number from 1 to 20.');
      expect((err as AppError).field).toBe('patch.zones.0.passes');
    }
    expect(c.services.sessions.get({ id: session.id }).zones).toEqual(ZONES);
  });

  it('a change of a zone’s passes on a signed session is an addendum, with the values before and after', async () => {
    const c = clinic();
    const { session } = logSession(c);
    await c.services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    c.clock.advanceMinutes(60);
    const zones = ZONES.map((z) => (z.zone === 'cheek_left' ? { ...z, passes: 5 } : z));
    c.services.sessions.amend({
      sessionId: session.id,
      reason: 'Left cheek had a fifth pass over the scars.',
      patch: { zones },
    });
    const [addendum] = c.services.signing.get({ id: session.id }).addenda;
    expect(addendum!.changes).toEqual({ before: { zones: ZONES }, after: { zones } });
    expect(c.services.sessions.get({ id: session.id }).zones[1]).toEqual({
      zone: 'cheek_left',
      depthMm: 1.5,
      passes: 5,
    });
  });

  it('travel in an archive bundle and back; a bundle from before passes per zone imports with none', async () => {
    const src = clinic();
    const { course, session } = logSession(src);
    const zip = await exportZip(src.services, { courseId: course.id });
    const records = JSON.parse(
      (await readZip(zip)).find(([n]) => n === 'records.json')![1].toString('utf8'),
    ) as { tables: Record<string, Record<string, unknown>[]> };
    expect(records.tables.session_zones!.map((z) => z.passes)).toEqual([2, 4, 4, null]);

    const dst = clinic();
    await importBundle(dst.services.ctx, zip);
    expect(dst.services.sessions.get({ id: session.id }).zones).toEqual(ZONES);

    // As an older NeedleLog wrote it: no passes column on the zone rows at all.
    const older = await editedBundle(zip, (r) => {
      r.tables.session_zones = r.tables.session_zones!.map(({ passes: _p, ...z }) => z);
    });
    const fresh = clinic();
    await importBundle(fresh.services.ctx, older);
    expect(fresh.services.sessions.get({ id: session.id }).zones).toEqual(
      ZONES.map(({ zone, depthMm }) => ({ zone, depthMm })),
    );
    expect(fresh.services.sessions.get({ id: session.id }).passes).toBe(3);

    // A count out of range in a bundle is refused, naming the bundle's own column.
    const bad = await editedBundle(zip, (r) => {
      r.tables.session_zones![0]!.passes = 40;
    });
    await expect(importBundle(clinic().services.ctx, bad)).rejects.toThrow(
      /session_zones\.0\.passes: Passes must be a whole number from 1 to 20\./,
    );
  });

  it('are CSV columns passes_<zone> after every older column; empty where not recorded', async () => {
    const c = clinic();
    const { session } = logSession(c);
    const file = path.join(tempDir(), 'out.csv');
    await writeCsv(c.services.ctx, resolveSelection(c.services.ctx, {}), file);
    const text = fs.readFileSync(file, 'utf8');
    const [row] = parse(text, { bom: true, columns: true, cast: false }) as Record<string, string>[];
    expect(row!.session_id).toBe(session.id);
    expect(Object.keys(row!)).toEqual([...CSV_HEADERS]);
    const first = CSV_HEADERS.indexOf('passes_forehead');
    expect(CSV_HEADERS.slice(first)).toEqual(ZONE_KEYS.map((z) => `passes_${z}`));
    expect(CSV_HEADERS[first - 1]).toBe('deleted_at');
    expect(row!.passes_forehead).toBe('2');
    expect(row!.passes_cheek_left).toBe('4');
    expect(row!.passes_cheek_right).toBe('4');
    expect(row!.passes_nose).toBe(''); // treated, passes not recorded
    expect(row!.passes_chin).toBe(''); // not treated
    expect(row!.passes).toBe('3'); // the session's own
    expect(row!.depth_cheek_left_mm).toBe('1.5');
  });

  it('sync between two rooms, and a change of one zone’s passes in either room reaches the other', async () => {
    const relay = testRelay();
    const rooms = openRooms(['Room 1', 'Room 2'], relay, testClinicKey());
    opened.push(relay, ...rooms);
    const [a, b] = rooms as [(typeof rooms)[0], (typeof rooms)[0]];
    const seeded = seedCourse(a, { area: 'full_face', indication: 'acne_scars' });
    for (const r of rooms) await r.sync();
    b.services.actAs(seeded.practitioner.id);
    const session = a.services.sessions.create({
      courseId: seeded.course.id,
      practitionerId: seeded.practitioner.id,
      performedAt: '2026-03-02T10:00:00Z',
      zones: ZONES,
    }).value;
    const syncAll = async () => {
      for (let turn = 0; turn < 2; turn++) for (const r of rooms) await r.sync();
    };
    await syncAll();
    expect(b.services.sessions.get({ id: session.id }).zones).toEqual(ZONES);

    b.clock.advanceMinutes(5);
    const changed = ZONES.map((z) => (z.zone === 'nose' ? { ...z, passes: 2 } : z));
    b.services.sessions.update({ id: session.id, patch: { zones: changed } });
    await syncAll();
    expect(a.services.sessions.get({ id: session.id }).zones).toEqual(changed);
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
  });
});
