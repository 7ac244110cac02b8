import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  closeDatabase,
  DamagedDatabaseError,
  databasePath,
  openDatabase,
  openSqliteFile,
} from '../../db/connection.js';
import { gateClinic } from '../../electron/api/clinicGate.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { photoFileOf } from '../../db/photos.js';
import { backupToFolder, verifyBackupFolder } from '../../electron/services/backupFolder.js';
import { createBackup, inspectDatabaseFile, listBackups } from '../../electron/services/backups.js';
import { restoreBackup } from '../../electron/services/restoreBackup.js';
import { createServices } from '../../electron/services/index.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { TEST_PASSPHRASE, tempDir, testKeyFor } from '../support/clinic.js';
import { damageMiddlePages } from '../support/damage.js';
import { main } from '../../electron/cli/main.js';
import { DEMO_MANAGER, needlelog, needlelogAs } from '../support/cli.js';
import { signInHost } from '../support/signIn.js';
import { plainJpeg } from '../support/images.js';

/** A small real clinic with a photo, in a fresh data dir. */
async function clinicWithPhoto() {
  const dir = tempDir();
  const db = openDatabase(dir, testKeyFor(dir));
  const services = createServices(db);
  const plan = demoClinic({ clients: 5 });
  loadDemoStep(services, plan, -1);
  plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
  const sessionId = (db.prepare(`SELECT id FROM sessions LIMIT 1`).get() as { id: string }).id;
  const photo = await services.photos.import({
    sessionId,
    kind: 'before',
    view: 'frontal',
    data: await plainJpeg(120, 90, 4),
  });
  return { dir, db, services, photo };
}

const countClients = (dir: string) => {
  const db = openSqliteFile(databasePath(dir), testKeyFor(dir), { readonly: true });
  const n = (db.prepare(`SELECT count(*) AS n FROM clients WHERE deleted_at IS NULL`).get() as { n: number })
    .n;
  db.close();
  return n;
};

/** A read-only look at a clinic's database, under its key. */
function db2(dir: string) {
  return openSqliteFile(databasePath(dir), testKeyFor(dir), { readonly: true });
}

describe('backups', () => {
  it('writes a checked backup with record counts, and lists it', async () => {
    const { dir, db } = await clinicWithPhoto();
    const b = await createBackup(db, dir, 'manual', new Date('2026-11-24T10:00:00Z'));
    closeDatabase(db);
    expect(path.basename(b.file)).toBe('needlelog-2026-11-24T10-00-00-000Z-manual.sqlite');
    expect(b.counts).toMatchObject({ clients: 5, photos: 1 });
    expect(fs.readdirSync(path.dirname(b.file)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const [listed] = listBackups(dir, testKeyFor(dir));
    expect(listed).toMatchObject({
      reason: 'manual',
      createdAt: '2026-11-24T10:00:00.000Z',
      counts: b.counts,
    });
  });

  it('thins out automatic backups but keeps manual ones', async () => {
    const { dir, db } = await clinicWithPhoto();
    const day = (d: number, h: number) => new Date(Date.UTC(2026, 10, d, h));
    for (const h of [8, 10, 12, 14]) await createBackup(db, dir, 'auto', day(24, h));
    await createBackup(db, dir, 'manual', day(24, 7));
    closeDatabase(db);
    const reasons = listBackups(dir, testKeyFor(dir)).map((b) => b.reason);
    expect(reasons.filter((r) => r === 'auto')).toHaveLength(3);
    expect(reasons).toContain('manual');
  });

  it('restores a round trip: the state of the backup comes back, and the state before is kept', async () => {
    const { dir, db, services } = await clinicWithPhoto();
    const backup = await createBackup(db, dir, 'manual');
    const gone = services.clients.list({}).items[0]!;
    services.clients.delete({ id: gone.id });
    services.clients.create({ firstName: 'After', lastName: 'Backup' });
    closeDatabase(db);
    expect(countClients(dir)).toBe(5);

    const result = await restoreBackup(dir, backup.file, testKeyFor(dir));
    expect(result.counts.clients).toBe(5);
    const reopened = openDatabase(dir, testKeyFor(dir));
    const after = createServices(reopened);
    expect(after.clients.list({}).items.map((c) => c.id)).toContain(gone.id);
    expect(after.clients.list({ query: 'After Backup' }).total).toBe(0);
    closeDatabase(reopened);
    // The state just before the restore was kept, and can itself be restored.
    expect(result.preRestore?.reason).toBe('pre-restore');
    await restoreBackup(dir, result.preRestore!.file, testKeyFor(dir));
    const back = openDatabase(dir, testKeyFor(dir));
    expect(createServices(back).clients.list({ query: 'After Backup' }).total).toBe(1);
    closeDatabase(back);
  });

  it('backs up to a folder with photos and a manifest, and restores into an empty data dir', async () => {
    const { dir, db, photo } = await clinicWithPhoto();
    const drive = tempDir('needlelog-drive-');
    const progress: number[] = [];
    const result = await backupToFolder(db, dir, drive, (p) => progress.push(p.done));
    closeDatabase(db);
    expect(progress.at(-1)).toBe(1);
    const manifest = verifyBackupFolder(result.folder);
    const fileId = photoFileOf(db2(dir), photo.id)!.fileId;
    for (const size of ['full', 'preview', 'thumb'])
      expect(manifest.files.map((f) => f.path)).toContain(
        `photos/${size}/${fileId.slice(0, 2)}/${fileId}.nlp`,
      );
    expect(manifest.files.map((f) => f.path)).toContain('needlelog.keys');
    expect(manifest.files).toHaveLength(5); // database + key slots + three sizes of one photo

    const fresh = path.join(tempDir(), 'restored');
    fs.mkdirSync(fresh);
    const restored = await restoreBackup(fresh, result.folder, testKeyFor(dir));
    expect(restored.preRestore).toBeNull();
    const reopened = openDatabase(fresh, testKeyFor(fresh));
    const services = createServices(reopened);
    const bytes = await services.photos.bytesOf(photo.id, 'full');
    expect(bytes && bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(services.clients.list({}).total).toBe(5);
    closeDatabase(reopened);
  });

  it('refuses a backup folder whose files do not match the manifest, and changes nothing', async () => {
    const { dir, db } = await clinicWithPhoto();
    const result = await backupToFolder(db, dir, tempDir('needlelog-drive-'));
    closeDatabase(db);
    const photoFile = (fs.readdirSync(path.join(result.folder, 'photos'), { recursive: true }) as string[])
      .map((f) => path.join(result.folder, 'photos', f))
      .find((f) => f.endsWith('.nlp'))!;
    const bytes = fs.readFileSync(photoFile);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    fs.writeFileSync(photoFile, bytes);
    expect(() => verifyBackupFolder(result.folder)).toThrow(/does not match its recorded checksum/);
    const before = fs.readFileSync(databasePath(dir));
    await expect(restoreBackup(dir, result.folder, testKeyFor(dir))).rejects.toThrow(/damaged/);
    expect(fs.readFileSync(databasePath(dir)).equals(before)).toBe(true);
    expect(listBackups(dir, testKeyFor(dir)).filter((b) => b.reason === 'pre-restore')).toEqual([]);
  });

  it('restores over a damaged database, setting the damaged files aside untouched', async () => {
    const { dir, db } = await clinicWithPhoto();
    const backup = await createBackup(db, dir, 'manual');
    closeDatabase(db);
    fs.writeFileSync(databasePath(dir), Buffer.alloc(8192, 0x42)); // not a database any more
    await restoreBackup(dir, backup.file, testKeyFor(dir));
    expect(countClients(dir)).toBe(5);
    const aside = fs.readdirSync(path.join(dir, 'backups')).find((n) => n.startsWith('damaged-'))!;
    expect(fs.readFileSync(path.join(dir, 'backups', aside, 'needlelog.sqlite'))[0]).toBe(0x42);
  });
});

// Each command is a fresh Node process (and a PIN check): slow on a busy machine.
describe('needlelog backup / backups / restore', { timeout: 120_000 }, () => {
  const cli = (...args: string[]) =>
    needlelogAs(DEMO_MANAGER, ...args).then((r) => ({ code: r.code, out: r.stdout, err: r.stderr }));

  it('backs up, lists, backs up to a folder, and restores from both', async () => {
    const { dir, db } = await clinicWithPhoto();
    closeDatabase(db);
    const made = await cli('backup', '--data-dir', dir);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(
      /Backup written and checked: .*\(5 clients, \d+ courses, \d+ sessions, 1 photos\)/,
    );
    const listed = await cli('backups', '--data-dir', dir);
    expect(listed.out).toMatch(/manual/);
    const drive = tempDir('needlelog-drive-');
    const folder = await cli('backup', '--data-dir', dir, '--to', drive);
    expect(folder.code).toBe(0);
    expect(folder.out).toMatch(/Copying photos: 1\/1/);
    const name = fs.readdirSync(drive)[0]!;
    const restored = await cli('restore', '--data-dir', dir, '--from', path.join(drive, name));
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/Restored 5 clients/);
    expect((await cli('check', '--data-dir', dir)).code).toBe(0);
    expect((await cli('restore', '--data-dir', dir)).code).toBe(2);
    const missing = await cli('restore', '--data-dir', dir, '--from', path.join(drive, 'nope'));
    expect(missing.code).toBe(1);
  });
});

describe('what a backup leaves on disk', () => {
  /**
   * The CLI's own entry point, in this process (a child per call costs seconds on a busy machine),
   * with the test clinics' passphrase as NEEDLELOG_PASSPHRASE.
   */
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    // Signed in as the demo clinic's manager, her PIN in NEEDLELOG_PIN as a script would pass it.
    process.env.NEEDLELOG_PIN = DEMO_MANAGER.pin;
    const before = process.env.NEEDLELOG_PASSPHRASE;
    process.env.NEEDLELOG_PASSPHRASE = TEST_PASSPHRASE;
    const code = await main(
      [...args, '--as', DEMO_MANAGER.name],
      (l) => out.push(l),
      (l) => err.push(l),
    ).finally(() => {
      delete process.env.NEEDLELOG_PIN;
      if (before === undefined) delete process.env.NEEDLELOG_PASSPHRASE;
      else process.env.NEEDLELOG_PASSPHRASE = before;
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  /** Every file under `dir`, relative, sorted, with photo files summed up. */
  const listing = (dir: string) =>
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => (f.startsWith(`photos${path.sep}`) ? 'photos/…' : f))
      .filter((f, i, all) => all.indexOf(f) === i)
      .sort();

  it('a backup folder holds the database, its key slots, the photos and the manifest, nothing else', async () => {
    const { dir, db } = await clinicWithPhoto();
    closeDatabase(db);
    const drive = tempDir('needlelog-drive-');
    expect((await cli('backup', '--data-dir', dir, '--to', drive)).code).toBe(0);
    const [folder] = fs.readdirSync(drive);
    expect(listing(path.join(drive, folder!))).toEqual([
      'manifest.json',
      'needlelog.keys',
      'needlelog.sqlite',
      'photos/…',
    ]);
    // Reading it (verify, list, restore from it) leaves nothing behind either.
    verifyBackupFolder(path.join(drive, folder!));
    expect((await cli('restore', '--data-dir', dir, '--from', path.join(drive, folder!))).code).toBe(0);
    expect(listing(path.join(drive, folder!))).toEqual([
      'manifest.json',
      'needlelog.keys',
      'needlelog.sqlite',
      'photos/…',
    ]);
  });

  it('the backups folder holds only backup files, also after listing them', async () => {
    const { dir, db } = await clinicWithPhoto();
    await createBackup(db, dir, 'manual', new Date('2026-11-24T10:00:00Z'));
    await createBackup(db, dir, 'auto', new Date('2026-11-24T11:00:00Z'));
    closeDatabase(db);
    expect(listBackups(dir, testKeyFor(dir))).toHaveLength(2);
    expect((await cli('backups', '--data-dir', dir)).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'backups')).sort()).toEqual([
      'needlelog-2026-11-24T10-00-00-000Z-manual.sqlite',
      'needlelog-2026-11-24T11-00-00-000Z-auto.sqlite',
    ]);
  });

  it('backup --to creates a destination that does not exist, and refuses a file in one sentence', async () => {
    const { dir, db } = await clinicWithPhoto();
    closeDatabase(db);
    const drive = path.join(tempDir('needlelog-drive-'), 'NeedleLog', 'Backups');
    const made = await cli('backup', '--data-dir', dir, '--to', drive);
    expect(made.code).toBe(0);
    expect(made.out).toContain(`Created the folder ${drive}.`);
    expect(fs.readdirSync(drive)).toHaveLength(1);

    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, 'x');
    const refused = await cli('backup', '--data-dir', dir, '--to', file);
    expect(refused.code).toBe(1);
    expect(refused.err.trim()).toBe(`${file} is a file, not a folder: give a folder to back up into.`);
    const blocked = await cli('backup', '--data-dir', dir, '--to', path.join(file, 'below'));
    expect(blocked.code).toBe(1);
    expect(blocked.err.trim()).toMatch(/^The folder .*below cannot be created \(ENOTDIR\)\.$/);
  });
});

describe('start-up health in the browser host', () => {
  it('refuses a damaged database in plain words and names the backup to restore', async () => {
    const { dir, db } = await clinicWithPhoto();
    await createBackup(db, dir, 'auto');
    closeDatabase(db);
    fs.writeFileSync(databasePath(dir), Buffer.alloc(8192, 0x42));
    const result = await needlelog('web', '--no-open', '--data-dir', dir).then((r) => ({
      code: r.code,
      err: r.stderr,
    }));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/clinic database is damaged/);
    expect(result.err).toMatch(/needlelog restore --data-dir ".*" --from ".*-auto\.sqlite"/);
  });
});

interface ApiBody {
  ok: boolean;
  value?: unknown;
  error?: { field?: string; message: string };
}
const valueOf = <T>(b: ApiBody) => b.value as T;

describe('backups off the thread', () => {
  it('copies the database on a worker thread: the connection of the app never runs VACUUM INTO and answers meanwhile', async () => {
    const { dir, db, services } = await clinicWithPhoto();
    const ran: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      ran.push(sql);
      return exec(sql);
    };
    const made = createBackup(db, dir, 'manual');
    // While it is made: a read on the app's connection.
    expect(services.clients.list({}).total).toBe(5);
    const info = await made;
    expect(info.counts).toMatchObject({ clients: 5, photos: 1 });
    expect(ran.filter((sql) => /VACUUM/i.test(sql))).toEqual([]);
    expect(inspectDatabaseFile(info.file, testKeyFor(dir)).counts.clients).toBe(5);
    closeDatabase(db);
  });
});

describe('the integrity check off the thread', () => {
  it('opens at once and checks meanwhile; a file damaged mid-way refuses every channel before anything is written', async () => {
    const dir = tempDir();
    const key = testKeyFor(dir);
    const db = openDatabase(dir, key);
    const services = createServices(db);
    const plan = demoClinic({ clients: 20 });
    loadDemoStep(services, plan, -1);
    plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
    await createBackup(db, dir, 'auto');
    const managerId = services.practitioners.list().find((p) => p.role === 'manager')!.id;
    closeDatabase(db);
    const logged: string[] = [];
    const log = (message: string) => logged.push(message);
    const caller = { session: { practitionerId: managerId, locked: false } };

    // Sound: open at once, query-only while the check runs; a save meanwhile waits for it and is made.
    const sound = gateClinic(dir, { log });
    sound.openWithKey(key);
    expect(sound.deps.integrity!.state()).toBe('pending');
    const saved = await dispatch(
      sound.deps,
      'clients.create',
      { firstName: 'Early', lastName: 'Save' },
      log,
      caller,
    );
    expect(saved).toMatchObject({ ok: true, value: { firstName: 'Early' } });
    expect(sound.deps.integrity!.state()).toBe('ok');
    const listed = await dispatch(sound.deps, 'clients.list', { query: 'Early' }, log, caller);
    expect(listed).toMatchObject({ ok: true, value: { total: 1 } });
    await sound.close({ backup: false });

    // Two pages in the middle overwritten: opening reads neither, the check finds them.
    const hash = damageMiddlePages(dir);
    expect(() => openDatabase(dir, key)).toThrow(DamagedDatabaseError);
    const before = hash();

    const gated = gateClinic(dir, { log });
    gated.openWithKey(key);
    expect(gated.deps.integrity!.state()).toBe('pending');
    // The first call (a save, made before the check is done), then any other: all refused so.
    for (const [channel, input] of [
      ['clients.create', { firstName: 'Written', lastName: 'Anyway' }],
      ['clients.list', {}],
      ['clinic.status', {}],
    ] as const) {
      const reply = await dispatch(gated.deps, channel, input, log, caller);
      expect(reply.ok, channel).toBe(false);
      const message = reply.ok ? '' : reply.error.message;
      expect(message).toMatch(/^The clinic database is damaged and cannot be used safely/);
      expect(message).toMatch(/restore it with: needlelog restore --data-dir ".*" --from ".*-auto\.sqlite"/);
    }
    expect(gated.deps.integrity!.state()).toBe('damaged');
    await gated.close();
    expect(hash()).toBe(before);
    expect(logged).toContain('the integrity check of the clinic database failed');
    expect(fs.readdirSync(path.join(dir, 'backups')).filter((n) => n.includes('-quit'))).toEqual([]);
  });
});

describe('backups through the browser host API', () => {
  it('creates, lists and restores a backup, and copies to a folder as a job', async () => {
    const { dir, db } = await clinicWithPhoto();
    closeDatabase(db);
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    const { startTestHost } = await import('../support/host.js');
    const host = await startTestHost({ dataDir: dir, rendererDir, log: () => {} });
    await signInHost(host, DEMO_MANAGER);
    const api = async (channel: string, input: unknown) => {
      const res = await fetch(`${host.origin}/api/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      return { status: res.status, body: (await res.json()) as ApiBody };
    };
    try {
      const made = await api('backups.create', {});
      expect(made.status).toBe(200);
      expect(valueOf<{ name: string }>(made.body).name).toMatch(/-manual\.sqlite$/);
      expect(made.body.value).not.toHaveProperty('file');
      const name = valueOf<{ name: string }>(made.body).name;
      await api('clients.create', { firstName: 'Only', lastName: 'InLiveData' });
      expect(
        valueOf<{ total: number }>((await api('clients.list', { query: 'InLiveData' })).body).total,
      ).toBe(1);

      const restored = await api('backups.restore', { name });
      expect(restored.status).toBe(200);
      expect(valueOf<{ clients: number }>(restored.body).clients).toBe(5);
      expect(
        valueOf<{ total: number }>((await api('clients.list', { query: 'InLiveData' })).body).total,
      ).toBe(0);
      const listed = await api('backups.list', {});
      expect(valueOf<{ reason: string }[]>(listed.body).map((b) => b.reason)).toEqual(
        expect.arrayContaining(['manual', 'pre-restore']),
      );

      expect((await api('backups.restore', { name: '../needlelog.sqlite' })).status).toBe(400);
      expect(
        (await api('backups.restore', { name: 'needlelog-2020-01-01T00-00-00-000Z-auto.sqlite' })).status,
      ).toBe(404);
      const badFolder = await api('backups.toFolder', { folder: 'relative/path' });
      expect([badFolder.status, badFolder.body.error?.field]).toEqual([400, 'folder']);
      const missingFolder = await api('backups.toFolder', { folder: path.join(tempDir(), 'nope') });
      expect(missingFolder.body.error?.message).toMatch(/does not exist or cannot be written/);

      const drive = tempDir('needlelog-drive-');
      const job = await api('backups.toFolder', { folder: drive });
      expect(job.status).toBe(200);
      await expect.poll(() => fs.readdirSync(drive).length, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => fs.existsSync(path.join(drive, fs.readdirSync(drive)[0]!, 'manifest.json')), {
          timeout: 10_000,
        })
        .toBe(true);
      expect(() => verifyBackupFolder(path.join(drive, fs.readdirSync(drive)[0]!))).not.toThrow();
    } finally {
      await host.close();
    }
    // Closing the host made a last backup.
    expect(listBackups(dir, testKeyFor(dir)).some((b) => b.reason === 'quit')).toBe(true);
  });
});
