import fs from 'node:fs';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DamagedDatabaseError,
  closeDatabase,
  databasePath,
  openDatabase,
  openSqliteFile,
} from '../../db/connection.js';
import { newDataKey } from '../../electron/services/keySlots.js';
import { createServices } from '../../electron/services/index.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { LATEST_VERSION, NewerSchemaError, migrate, schemaVersion } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { tempDir } from '../support/clinic.js';

/** Every database here is encrypted, as the app makes them; migrations run the same under the key. */
const K = newDataKey();
const open: Database.Database[] = [];
afterEach(() => {
  open.splice(0).forEach((db) => db.open && db.close());
});

/** Every schema version before the named migration: the versions a clinic can upgrade to it from. */
function versionsBefore(name: string): number[] {
  const until = migrations.find((m) => m.name === name)!.version;
  return migrations.map((m) => m.version).filter((v) => v < until);
}

/** A clinic database file at schema `version`, in a folder of its own. */
function clinicAt(version: number): { dir: string; old: Database.Database } {
  const dir = tempDir();
  const old = openSqliteFile(databasePath(dir), K);
  migrate(old, version);
  return { dir, old };
}

function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name`,
      )
      .all() as {
      type: string;
      name: string;
      sql: string;
    }[]
  ).map((r) => `${r.type} ${r.name}: ${r.sql}`);
}

describe('migrations', () => {
  it('creates the latest schema in an empty directory, in WAL mode with the clinical pragmas', () => {
    const dir = tempDir();
    const db = openDatabase(dir, K);
    open.push(db);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThan(0);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.pragma('cache_size', { simple: true })).toBe(-64 * 1024); // KiB: decrypted pages kept
    const tables = schemaOf(db).join('\n');
    for (const t of [
      'practitioners',
      'clients',
      'courses',
      'sessions',
      'session_zones',
      'adverse_events',
      'photos',
      'audit_log',
      'settings',
    ]) {
      expect(tables).toContain(`table ${t}:`);
    }
  });

  it('reopening is idempotent: same version, same schema, data kept', () => {
    const dir = tempDir();
    const first = openDatabase(dir, K);
    first
      .prepare(`INSERT INTO settings (key, value_json, updated_at) VALUES ('clinicName', '"A"', 'now')`)
      .run();
    const schema = schemaOf(first);
    closeDatabase(first);
    const again = openDatabase(dir, K);
    open.push(again);
    expect(schemaVersion(again)).toBe(LATEST_VERSION);
    expect(schemaOf(again)).toEqual(schema);
    expect(again.prepare(`SELECT value_json AS v FROM settings`).get()).toEqual({ v: '"A"' });
  });

  it('migrates a database made at every older schema version to the same schema as a fresh one', () => {
    const fresh = openDatabase(tempDir(), K);
    open.push(fresh);
    const expected = schemaOf(fresh);
    // Every version a database can have been left at: empty, and after each migration (numbers may skip).
    const olderVersions = [0, ...migrations.map((m) => m.version)].filter((v) => v < LATEST_VERSION);
    expect(olderVersions.length).toBe(migrations.length);
    for (const version of olderVersions) {
      const dir = tempDir();
      fs.mkdirSync(dir, { recursive: true });
      const old = openSqliteFile(databasePath(dir), K);
      migrate(old, version);
      expect(schemaVersion(old)).toBe(version);
      if (version >= 1) {
        // A record written by that version must come through the upgrade unchanged.
        old
          .prepare(
            `INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
             VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
          )
          .run();
      }
      old.close();
      const upgraded = openDatabase(dir, K);
      open.push(upgraded);
      expect(schemaVersion(upgraded)).toBe(LATEST_VERSION);
      expect(schemaOf(upgraded)).toEqual(expected);
      if (version >= 1) {
        expect(upgraded.prepare(`SELECT first_name AS f FROM clients WHERE id = 'c1'`).get()).toEqual({
          f: 'Zoë',
        });
      }
    }
  });

  it('sided-zones splits unsided zones into their sides (and the lips by lip) at the same depth, from every older version', () => {
    const at = '2026-01-01T00:00:00.000Z';
    for (const version of versionsBefore('sided-zones')) {
      const { dir, old } = clinicAt(version);
      old.exec(`
        INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', '${at}', '${at}');
        INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
          VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}');
        INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on,
          created_at, updated_at) VALUES ('k1', 'c1', 'full_face', 'acne_scars', 4, 28, '2026-01-01', '${at}', '${at}');
        INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at)
          VALUES ('s1', 'k1', 'p1', '${at}', '${at}', '${at}'), ('s2', 'k1', 'p1', '${at}', '${at}', '${at}');
        INSERT INTO session_zones (session_id, position, zone, depth_mm) VALUES
          ('s1', 0, 'forehead', 0.5), ('s1', 1, 'cheeks', 1.25), ('s1', 2, 'lips_perioral', 0.3),
          ('s1', 3, 'periorbital', 0.25), ('s1', 4, 'jawline', 1.0), ('s2', 0, 'nose', 0.5);
        INSERT INTO settings (key, value_json, updated_at) VALUES
          ('depthRanges', '{"cheeks":{"min":0.6,"max":1.2},"forehead":{"min":0.3,"max":0.5}}', '${at}');
      `);
      if (version >= 2) {
        old
          .prepare(`INSERT INTO session_drafts (course_id, data_json, updated_at) VALUES ('k1', ?, ?)`)
          .run(JSON.stringify({ version: 1, values: { zones: [{ zone: 'jawline', depth: '0.75' }] } }), at);
      }
      old.close();
      const db = openDatabase(dir, K);
      open.push(db);
      expect(
        db
          .prepare(
            `SELECT session_id AS s, position AS p, zone, depth_mm AS mm FROM session_zones ORDER BY s, p`,
          )
          .all(),
      ).toEqual([
        { s: 's1', p: 0, zone: 'forehead', mm: 0.5 },
        { s: 's1', p: 1, zone: 'cheek_left', mm: 1.25 },
        { s: 's1', p: 2, zone: 'cheek_right', mm: 1.25 },
        { s: 's1', p: 3, zone: 'upper_lip', mm: 0.3 },
        { s: 's1', p: 4, zone: 'lower_lip', mm: 0.3 },
        { s: 's1', p: 5, zone: 'perioral', mm: 0.3 },
        { s: 's1', p: 6, zone: 'periorbital_left', mm: 0.25 },
        { s: 's1', p: 7, zone: 'periorbital_right', mm: 0.25 },
        { s: 's1', p: 8, zone: 'jawline_left', mm: 1.0 },
        { s: 's1', p: 9, zone: 'jawline_right', mm: 1.0 },
        { s: 's2', p: 0, zone: 'nose', mm: 0.5 },
      ]);
      const services = createServices(db);
      expect(services.settings.get().depthRanges).toMatchObject({
        cheek_left: { min: 0.6, max: 1.2 },
        cheek_right: { min: 0.6, max: 1.2 },
        forehead: { min: 0.3, max: 0.5 },
        chin: { min: 0.5, max: 1.0 },
      });
      if (version >= 2) {
        const draft = db.prepare(`SELECT data_json AS j FROM session_drafts`).pluck().get() as string;
        expect(JSON.parse(draft).values.zones).toEqual([
          { zone: 'jawline_left', depth: '0.75' },
          { zone: 'jawline_right', depth: '0.75' },
        ]);
      }
    }
  });

  it('consent-asked turns signed consent on for every clinic made before it, audited; one that never stored it follows the default', () => {
    const at = '2026-01-01T00:00:00.000Z';
    for (const version of versionsBefore('consent-asked')) {
      for (const stored of ['false', 'true', null] as const) {
        const { dir, old } = clinicAt(version);
        if (stored !== null) {
          old
            .prepare(
              `INSERT INTO settings (key, value_json, updated_at) VALUES ('requireSignedConsent', ?, ?)`,
            )
            .run(stored, at);
        }
        old.close();
        const db = openDatabase(dir, K);
        open.push(db);
        expect(createServices(db).settings.get().requireSignedConsent, `v${version} ${stored}`).toBe(true);
        const audits = db
          .prepare(
            `SELECT actor_id AS actor, before_json AS b, after_json AS a FROM audit_log WHERE entity = 'settings'`,
          )
          .all();
        expect(audits, `v${version} ${stored}`).toEqual(
          stored === 'false'
            ? [{ actor: null, b: '{"requireSignedConsent":false}', a: '{"requireSignedConsent":true}' }]
            : [],
        );
      }
    }
  });

  it('zone-passes gives every stored zone an unknown (null) passes count, from every older version; the session’s passes are kept, never copied onto zones', () => {
    const at = '2026-01-01T00:00:00.000Z';
    for (const version of versionsBefore('zone-passes')) {
      const { dir, old } = clinicAt(version);
      old.exec(`
        INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', '${at}', '${at}');
        INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
          VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}');
        INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on,
          created_at, updated_at) VALUES ('k1', 'c1', 'forehead', 'fine_lines', 4, 28, '2026-01-01', '${at}', '${at}');
        INSERT INTO sessions (id, course_id, practitioner_id, performed_at, passes, created_at, updated_at)
          VALUES ('s1', 'k1', 'p1', '${at}', 3, '${at}', '${at}');
        INSERT INTO session_zones (session_id, position, zone, depth_mm) VALUES
          ('s1', 0, 'forehead', 0.5), ('s1', 1, 'nose', 0.75);
      `);
      old.close();
      const db = openDatabase(dir, K);
      open.push(db);
      expect(
        db.prepare(`SELECT zone, depth_mm AS mm, passes FROM session_zones ORDER BY position`).all(),
        `v${version}`,
      ).toEqual([
        { zone: 'forehead', mm: 0.5, passes: null },
        { zone: 'nose', mm: 0.75, passes: null },
      ]);
      expect(db.prepare(`SELECT passes FROM sessions WHERE id = 's1'`).pluck().get(), `v${version}`).toBe(3);
      expect(() =>
        db.prepare(`UPDATE session_zones SET passes = 0 WHERE session_id = 's1' AND position = 0`).run(),
      ).toThrow(/CHECK constraint failed/);
      expect(() =>
        db.prepare(`UPDATE session_zones SET passes = 21 WHERE session_id = 's1' AND position = 0`).run(),
      ).toThrow(/CHECK constraint failed/);
      db.prepare(`UPDATE session_zones SET passes = 4 WHERE session_id = 's1' AND position = 1`).run();
      expect(db.prepare(`SELECT passes FROM session_zones WHERE zone = 'nose'`).pluck().get()).toBe(4);
    }
  });

  it('overview-hours counts the live sessions of live courses per hour, practitioner and area, from every older version, and keeps them after', () => {
    const at = '2026-01-01T00:00:00.000Z';
    for (const version of versionsBefore('overview-hours')) {
      const { dir, old } = clinicAt(version);
      old.exec(`
        INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', '${at}', '${at}'),
          ('p2', 'Dr B', '${at}', '${at}');
        INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at, deleted_at)
          VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}', NULL),
                 ('c2', 'Amelia', 'Brennan', 'brennan amelia', '${at}', '${at}', '${at}');
        INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on,
          created_at, updated_at, deleted_at) VALUES
          ('k1', 'c1', 'forehead', 'fine_lines', 4, 28, '2026-01-01', '${at}', '${at}', NULL),
          ('k2', 'c1', 'cheeks', 'texture', 4, 28, '2026-01-01', '${at}', '${at}', NULL),
          ('k3', 'c1', 'neck', 'texture', 4, 28, '2026-01-01', '${at}', '${at}', '${at}'),
          ('k4', 'c2', 'neck', 'texture', 4, 28, '2026-01-01', '${at}', '${at}', NULL);
        INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at, deleted_at) VALUES
          ('s1', 'k1', 'p1', '2026-01-05T09:15:00.000Z', '${at}', '${at}', NULL),
          ('s2', 'k1', 'p1', '2026-01-05T09:59:59.999Z', '${at}', '${at}', NULL),
          ('s3', 'k1', 'p2', '2026-01-05T09:30:00.000Z', '${at}', '${at}', NULL),
          ('s4', 'k2', 'p1', '2026-01-05T09:45:00.000Z', '${at}', '${at}', NULL),
          ('s5', 'k1', 'p1', '2026-01-05T10:00:00.000Z', '${at}', '${at}', NULL),
          ('s6', 'k1', 'p1', '2026-01-06T10:00:00.000Z', '${at}', '${at}', '${at}'),
          ('s7', 'k3', 'p1', '2026-01-05T09:00:00.000Z', '${at}', '${at}', NULL),
          ('s8', 'k4', 'p1', '2026-01-05T09:00:00.000Z', '${at}', '${at}', NULL);
      `);
      old.close();
      const db = openDatabase(dir, K);
      open.push(db);
      const hours = () =>
        db
          .prepare(
            `SELECT hour, practitioner_id AS p, area, sessions AS n FROM session_hour_stats ORDER BY 1, 2, 3`,
          )
          .all();
      // s6 is deleted, s7's course is deleted, s8's client is deleted: none of them counts.
      expect(hours(), `v${version}`).toEqual([
        { hour: '2026-01-05T09', p: 'p1', area: 'cheeks', n: 1 },
        { hour: '2026-01-05T09', p: 'p1', area: 'forehead', n: 2 },
        { hour: '2026-01-05T09', p: 'p2', area: 'forehead', n: 1 },
        { hour: '2026-01-05T10', p: 'p1', area: 'forehead', n: 1 },
      ]);
      // And kept after: the client restored, a session moved to another hour and practitioner.
      db.exec(`UPDATE clients SET deleted_at = NULL WHERE id = 'c2';
        UPDATE sessions SET performed_at = '2026-01-05T10:30:00.000Z', practitioner_id = 'p2' WHERE id = 's1';`);
      expect(hours(), `v${version}`).toEqual([
        { hour: '2026-01-05T09', p: 'p1', area: 'cheeks', n: 1 },
        { hour: '2026-01-05T09', p: 'p1', area: 'forehead', n: 1 },
        { hour: '2026-01-05T09', p: 'p1', area: 'neck', n: 1 },
        { hour: '2026-01-05T09', p: 'p2', area: 'forehead', n: 1 },
        { hour: '2026-01-05T10', p: 'p1', area: 'forehead', n: 1 },
        { hour: '2026-01-05T10', p: 'p2', area: 'forehead', n: 1 },
      ]);
    }
  });

  it('0003 gives photos filed before consent was asked their session’s scope, or none where it had none', () => {
    const dir = tempDir();
    const old = openSqliteFile(databasePath(dir), K);
    migrate(old, 2);
    const at = '2026-01-01T00:00:00.000Z';
    old.exec(`
      INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', '${at}', '${at}');
      INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
        VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}');
      INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on,
        created_at, updated_at) VALUES ('k1', 'c1', 'cheeks', 'acne_scars', 4, 28, '2026-01-01', '${at}', '${at}');
      INSERT INTO sessions (id, course_id, practitioner_id, performed_at, photo_consent, created_at, updated_at)
        VALUES ('s1', 'k1', 'p1', '${at}', 'teaching', '${at}', '${at}'),
               ('s2', 'k1', 'p1', '${at}', 'none', '${at}', '${at}');
      INSERT INTO photos (id, session_id, kind, view, sha256, mime, width, height, bytes, created_at, updated_at)
        VALUES ('f1', 's1', 'before', 'frontal', '${'a'.repeat(64)}', 'image/jpeg', 4, 3, 10, '${at}', '${at}'),
               ('f2', 's2', 'before', 'frontal', '${'b'.repeat(64)}', 'image/jpeg', 4, 3, 10, '${at}', '${at}');
    `);
    old.close();
    const upgraded = openDatabase(dir, K);
    open.push(upgraded);
    expect(upgraded.prepare(`SELECT id, consent_scope AS scope FROM photos ORDER BY id`).all()).toEqual([
      { id: 'f1', scope: 'teaching' },
      { id: 'f2', scope: null },
    ]);
    expect(
      upgraded.prepare(`SELECT photo_consent_declined_at AS d FROM sessions WHERE id = 's2'`).get(),
    ).toEqual({
      d: null,
    });
    expect(() =>
      upgraded.prepare(`UPDATE photos SET consent_scope = 'everything' WHERE id = 'f1'`).run(),
    ).toThrow(/CHECK constraint failed/);
  });

  it('upgrades sessions written before lot recall: empty numbing and glide lots, cartridge lot kept and found', () => {
    for (const version of versionsBefore('lot-recall')) {
      const { dir, old } = clinicAt(version);
      old.exec(`
        INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', 't', 't');
        INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
          VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', 't', 't');
        INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, status,
          started_on, created_at, updated_at)
          VALUES ('k1', 'c1', 'lips_perioral', 'lip_enhancement', 4, 28, 'active', '2026-01-01', 't', 't');
        INSERT INTO sessions (id, course_id, practitioner_id, performed_at, cartridge_lot, created_at, updated_at)
          VALUES ('s1', 'k1', 'p1', '2026-01-02T10:00:00.000Z', 'L2450-17', 't', 't');
      `);
      old.close();
      const db = openDatabase(dir, K);
      open.push(db);
      expect(db.prepare(`SELECT cartridge_lot, numbing_lot, glide_lot FROM sessions`).get()).toEqual({
        cartridge_lot: 'L2450-17',
        numbing_lot: '',
        glide_lot: '',
      });
      const recall = createServices(db).lots.recall({ lot: 'l2450-17' });
      expect(recall.sessions.map((s) => [s.sessionId, s.usedAs])).toEqual([['s1', ['cartridge']]]);
    }
  });

  it('refuses a database written by a newer version, with a clear message, and leaves it untouched', () => {
    const dir = tempDir();
    closeDatabase(openDatabase(dir, K));
    const raw = openSqliteFile(databasePath(dir), K);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(dir, K)).toThrow(NewerSchemaError);
    expect(() => openDatabase(dir, K)).toThrow(/newer version of NeedleLog/);
    const after = openSqliteFile(databasePath(dir), K);
    open.push(after);
    expect(schemaVersion(after)).toBe(LATEST_VERSION + 1);
  });

  it('rolls back every step of a migration run that fails part-way', () => {
    const dir = tempDir();
    const db = openSqliteFile(databasePath(dir), K);
    open.push(db);
    db.exec(`CREATE TABLE clients (id TEXT)`); // collides with the first migration's CREATE TABLE
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual(['table clients: CREATE TABLE clients (id TEXT)']);
  });

  it('refuses a damaged database in plain words instead of starting empty', () => {
    const garbage = tempDir();
    fs.writeFileSync(databasePath(garbage), Buffer.alloc(16_384, 0x42));
    expect(() => openDatabase(garbage, K)).toThrow(DamagedDatabaseError);
    expect(() => openDatabase(garbage, K)).toThrow(/clinic database is damaged/);
    expect(fs.readFileSync(databasePath(garbage))[0]).toBe(0x42); // left exactly as it was

    const dir = tempDir();
    const db = openDatabase(dir, K);
    const services = createServices(db);
    const plan = demoClinic({ clients: 20 });
    loadDemoStep(services, plan, -1);
    plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
    closeDatabase(db);
    const fd = fs.openSync(databasePath(dir), 'r+');
    const pages = Math.floor(fs.fstatSync(fd).size / 4096);
    fs.writeSync(fd, Buffer.alloc(4096 * 2, 0xa5), 0, 4096 * 2, Math.floor(pages / 2) * 4096);
    fs.closeSync(fd);
    expect(() => openDatabase(dir, K)).toThrow(DamagedDatabaseError);
  });

  it('0004 (sign-in): a clinic from before it keeps its practitioners; the earliest live one is its manager, nobody has a PIN', () => {
    const dir = tempDir();
    const old = openSqliteFile(databasePath(dir), K);
    migrate(old, 2);
    const insert = old.prepare(
      `INSERT INTO practitioners (id, name, credentials, created_at, updated_at, deleted_at) VALUES (?, ?, '', ?, ?, ?)`,
    );
    insert.run(
      'p0',
      'Gone Before',
      '2025-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    );
    insert.run('p1', 'Ann First', '2025-03-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', null);
    insert.run('p2', 'Ben Second', '2025-04-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z', null);
    old.close();
    const db = openDatabase(dir, K);
    open.push(db);
    expect(db.prepare(`SELECT id, role FROM practitioners ORDER BY id`).all()).toEqual([
      { id: 'p0', role: 'practitioner' },
      { id: 'p1', role: 'manager' },
      { id: 'p2', role: 'practitioner' },
    ]);
    expect(db.prepare(`SELECT count(*) AS n FROM practitioner_pins`).get()).toEqual({ n: 0 });
    const services = createServices(db);
    expect(services.auth.managerPinNeeded()).toBe(true);
    expect(services.auth.people().map((p) => [p.name, p.role, p.hasPin])).toEqual([
      ['Ann First', 'manager', false],
      ['Ben Second', 'practitioner', false],
    ]);
  });

  it('signed records: a clinic from before them has every session unsigned and no consent on file; the new rows cannot be rewritten', () => {
    const before = migrations.find((m) => m.name === 'signed-records')!.version - 1;
    const dir = tempDir();
    const old = openSqliteFile(databasePath(dir), K);
    migrate(old, before);
    const at = '2026-01-01T00:00:00.000Z';
    old.exec(`
      INSERT INTO practitioners (id, name, created_at, updated_at) VALUES ('p1', 'Dr A', '${at}', '${at}');
      INSERT INTO clients (id, first_name, last_name, sort_name, created_at, updated_at)
        VALUES ('c1', 'Zoë', 'Okafor', 'okafor zoe', '${at}', '${at}');
      INSERT INTO courses (id, client_id, area, indication, planned_sessions, planned_interval_days, started_on,
        created_at, updated_at) VALUES ('k1', 'c1', 'cheeks', 'acne_scars', 4, 28, '2026-01-01', '${at}', '${at}');
      INSERT INTO sessions (id, course_id, practitioner_id, performed_at, created_at, updated_at)
        VALUES ('s1', 'k1', 'p1', '${at}', '${at}', '${at}');
    `);
    old.close();
    const db = openDatabase(dir, K);
    open.push(db);
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const table of ['session_signatures', 'session_addenda', 'course_consents', 'consent_overrides']) {
      expect(count(table), table).toBe(0);
    }
    db.exec(`INSERT INTO session_addenda (id, session_id, author_id, at, reason, changes_json)
      VALUES ('a1', 's1', 'p1', '${at}', 'Typo in the notes.', '{"before":{},"after":{}}')`);
    expect(() => db.exec(`UPDATE session_addenda SET reason = 'rewritten'`)).toThrow(/never changed/);
    expect(() => db.exec(`DELETE FROM session_addenda`)).toThrow(/never removed/);
    expect(() =>
      db.exec(`INSERT INTO session_addenda (id, session_id, author_id, at, reason, changes_json)
        VALUES ('a2', 's1', 'p1', '${at}', '   ', '{}')`),
    ).toThrow(/CHECK/);
  });

  it('keeps migrations numbered, increasing and unique', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions[0]).toBe(1);
  });
});
