import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import type { CheckFile } from '../../electron/api/clinic.js';
import { gateClinic } from '../../electron/api/clinicGate.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { newCaller } from '../../electron/api/signIn.js';
import { createBackup } from '../../electron/services/backups.js';
import { checkDatabaseOffThread } from '../../electron/services/dbWorkers.js';
import { createServices } from '../../electron/services/index.js';
import { damageMiddlePages } from '../support/damage.js';
import { tempDir, testKeyFor } from '../support/clinic.js';
import { givePin, TEST_PIN } from '../support/signIn.js';

/** A clinic with a manager who has a PIN and a nurse who has one too, closed. */
function smallClinic(): { dir: string; key: DataKey; managerId: string; nurseId: string } {
  const dir = tempDir();
  const key = testKeyFor(dir);
  const db = openDatabase(dir, key);
  const services = createServices(db);
  const managerId = services.practitioners.create({ name: 'Dr Mona Manager', role: 'manager' }).id;
  const nurseId = services.practitioners.create({ name: 'Nia Nurse', role: 'practitioner' }).id;
  givePin(services, managerId);
  givePin(services, nurseId);
  closeDatabase(db);
  return { dir, key, managerId, nurseId };
}

/** The real check, held back until `release` is called: a large clinic's seconds-long check, on cue. */
function heldCheck(): { checkFile: CheckFile; release: () => void } {
  let release!: () => void;
  const go = new Promise<void>((resolve) => (release = resolve));
  return {
    checkFile: async (file, key) => {
      await go;
      await checkDatabaseOffThread(file, key);
    },
    release,
  };
}

/** Resolves with `p`'s value, or with 'still waiting' if it takes longer than `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

interface LogRow {
  id: string;
  at: string;
  action: string;
  actor_id: string;
}
function accessRows(dir: string, key: DataKey): LogRow[] {
  const db = openDatabase(dir, key);
  try {
    return db.prepare(`SELECT id, at, action, actor_id FROM access_log ORDER BY id`).all() as LogRow[];
  } finally {
    closeDatabase(db);
  }
}

const log = () => {};

describe('signing in while the integrity check runs', () => {
  it('answers before the check is done; the sign-in rows are written, in order, once it is ok', async () => {
    const { dir, key, managerId, nurseId } = smallClinic();
    const { checkFile, release } = heldCheck();
    const clinic = gateClinic(dir, { log, checkFile });
    clinic.openWithKey(key);
    const caller = newCaller();
    const before = new Date().toISOString();

    const signedIn = await within(
      dispatch(clinic.deps, 'auth.signIn', { practitionerId: managerId, pin: TEST_PIN }, log, caller),
      10_000,
    );
    expect(signedIn).toMatchObject({ ok: true, value: { state: 'signedIn' } });
    expect(clinic.deps.integrity!.state()).toBe('pending');
    // Signed in: the client list answers, still before the check.
    expect(await dispatch(clinic.deps, 'clients.list', {}, log, caller)).toMatchObject({ ok: true });
    // Switching practitioner: the manager's sign-out, then the nurse's sign-in; then a lock.
    expect(
      await within(
        dispatch(clinic.deps, 'auth.signIn', { practitionerId: nurseId, pin: TEST_PIN }, log, caller),
        10_000,
      ),
    ).toMatchObject({ ok: true, value: { state: 'signedIn' } });
    expect(await dispatch(clinic.deps, 'auth.lock', {}, log, caller)).toMatchObject({
      ok: true,
      value: { state: 'locked' },
    });
    // A save made now waits for the check, and lands after the rows of what came before it.
    const saved = dispatch(clinic.deps, 'auth.unlock', { pin: TEST_PIN }, log, caller);
    const made = dispatch(clinic.deps, 'clients.create', { firstName: 'After', lastName: 'Check' }, log, {
      session: { practitionerId: nurseId, locked: false },
    });
    expect(clinic.deps.integrity!.state()).toBe('pending');

    release();
    await clinic.deps.integrity!.done;
    expect(await saved).toMatchObject({ ok: true, value: { state: 'signedIn' } });
    expect(await made).toMatchObject({ ok: true });
    await clinic.close({ backup: false });

    const rows = accessRows(dir, key);
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['sign_in', managerId],
      ['sign_out', managerId],
      ['sign_in', nurseId],
      ['lock', nurseId],
      ['unlock', nurseId],
    ]);
    // Each row keeps the time it happened (before the check ended), in order.
    expect(rows.every((r) => r.at >= before)).toBe(true);
    expect([...rows.map((r) => r.at)].sort()).toEqual(rows.map((r) => r.at));
  });

  it('writes a sign-in made during the check even when the app is closed before the check is done', async () => {
    const { dir, key, managerId } = smallClinic();
    const { checkFile, release } = heldCheck();
    const clinic = gateClinic(dir, { log, checkFile });
    clinic.openWithKey(key);
    const caller = newCaller();
    expect(
      await within(
        dispatch(clinic.deps, 'auth.signIn', { practitionerId: managerId, pin: TEST_PIN }, log, caller),
        10_000,
      ),
    ).toMatchObject({ ok: true });
    // Closing (the window, Ctrl+C) while the check is still to come: closing waits for it.
    const closed = clinic.close({ backup: false });
    expect(await within(closed, 200)).toBe('still waiting');
    release();
    await closed;
    expect(accessRows(dir, key).map((r) => [r.action, r.actor_id])).toEqual([['sign_in', managerId]]);
  });

  it('a damaged database: a sign-in made before the check found it is never written, and sign-in is then refused with its sentence', async () => {
    const { dir, key, managerId } = smallClinic();
    // A backup to offer, then two pages in the middle overwritten: opening reads neither.
    const db = openDatabase(dir, key);
    createServices(db).clients.create({ firstName: 'Some', lastName: 'Client' });
    db.exec(
      `CREATE TABLE filler (x BLOB);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
       INSERT INTO filler SELECT randomblob(4000) FROM n`,
    );
    await createBackup(db, dir, 'auto');
    closeDatabase(db);
    const hash = damageMiddlePages(dir);
    const damagedHash = hash();
    const logged: string[] = [];
    const { checkFile, release } = heldCheck();
    const clinic = gateClinic(dir, { log: (m) => logged.push(m), checkFile });
    clinic.openWithKey(key);
    const caller = newCaller();
    const early = await within(
      dispatch(clinic.deps, 'auth.signIn', { practitionerId: managerId, pin: TEST_PIN }, log, caller),
      10_000,
    );
    expect(early).toMatchObject({ ok: true });

    release();
    await clinic.deps.integrity!.done.catch(() => {});
    expect(clinic.deps.integrity!.state()).toBe('damaged');
    const later = await dispatch(
      clinic.deps,
      'auth.signIn',
      { practitionerId: managerId, pin: TEST_PIN },
      log,
      newCaller(),
    );
    expect(later.ok).toBe(false);
    const message = later.ok ? '' : later.error.message;
    expect(message).toMatch(/^The clinic database is damaged and cannot be used safely/);
    expect(message).toMatch(/restore it with: needlelog restore --data-dir ".*" --from ".*-auto\.sqlite"/);
    await clinic.close();
    expect(hash()).toBe(damagedHash);
    expect(logged).toContain('1 activity-log row(s) were not written to the damaged database');
  });
});
