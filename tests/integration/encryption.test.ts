import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { closeDatabase, databasePath, openDatabase, type DataKey } from '../../db/connection.js';
import { createServices } from '../../electron/services/index.js';
import { readKeyFile, unlockWithSecret } from '../../electron/services/keySlots.js';
import { DEMO_MANAGER, needlelog, needlelogAs, needlelogWith } from '../support/cli.js';
import { TEST_PASSPHRASE, tempDir } from '../support/clinic.js';
import { plainJpeg } from '../support/images.js';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

/** What a thief with the disk would look for, in every file under `dir`. */
function leaks(dir: string, names: string[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    const rel = path.relative(dir, file);
    if (bytes.includes(SQLITE_HEADER)) found.push(`${rel}: SQLite header`);
    if (bytes.subarray(0, 3).equals(JPEG)) found.push(`${rel}: starts as a JPEG`);
    if (bytes.subarray(0, 4).equals(PNG)) found.push(`${rel}: starts as a PNG`);
    for (const name of names) if (bytes.includes(Buffer.from(name, 'utf8'))) found.push(`${rel}: "${name}"`);
  }
  return found;
}

const keyOf = (dir: string, secret = TEST_PASSPHRASE): DataKey =>
  unlockWithSecret(readKeyFile(dir)!, secret).key;

let made: Promise<{ dir: string; recoveryKey: string; names: string[] }> | undefined;

/** A copy of one demo clinic made by the real CLI, plus one imported PNG; its recovery key as printed. */
async function demoWithPhoto() {
  made ??= makeDemoWithPhoto();
  const original = await made;
  const dir = path.join(tempDir(), 'clinic');
  fs.cpSync(original.dir, dir, { recursive: true });
  return { ...original, dir };
}

async function makeDemoWithPhoto() {
  const dir = path.join(tempDir(), 'clinic');
  const demo = await needlelog('demo', '--data-dir', dir);
  expect(demo.code).toBe(0);
  const recoveryKey = /(([0-9A-Z]{4}-){7}[0-9A-Z]{4})/.exec(demo.stdout)?.[1];
  expect(recoveryKey).toBeDefined();
  const db = openDatabase(dir, keyOf(dir));
  const services = createServices(db);
  const sessionId = (db.prepare(`SELECT id FROM sessions LIMIT 1`).get() as { id: string }).id;
  const png = await sharp(await plainJpeg(200, 150, 9))
    .png()
    .toBuffer();
  await services.photos.import({ sessionId, kind: 'after', view: 'frontal', data: png });
  const names = (
    db.prepare(`SELECT first_name || ' ' || last_name AS n FROM clients`).all() as { n: string }[]
  ).map((r) => r.n);
  closeDatabase(db);
  return { dir, recoveryKey: recoveryKey as string, names };
}

describe('encryption at rest', { timeout: 180_000 }, () => {
  it('leaves nothing readable in the data folder, a backup folder or a bundle', async () => {
    const { dir, names } = await demoWithPhoto();
    expect(names.length).toBe(30);
    const backup = await needlelogAs(DEMO_MANAGER, 'backup', '--data-dir', dir);
    expect(backup.code).toBe(0);
    const drive = tempDir('needlelog-drive-');
    expect((await needlelogAs(DEMO_MANAGER, 'backup', '--data-dir', dir, '--to', drive)).code).toBe(0);
    const bundle = path.join(tempDir(), 'clinic.zip');
    expect(
      (
        await needlelogAs(
          DEMO_MANAGER,
          'export',
          '--data-dir',
          dir,
          '--format',
          'zip',
          '--all',
          '--out',
          bundle,
        )
      ).code,
    ).toBe(0);

    expect(filesUnder(path.join(dir, 'photos')).length).toBeGreaterThanOrEqual(3 * 41);
    expect(leaks(dir, names)).toEqual([]);
    expect(leaks(drive, names)).toEqual([]);
    expect(leaks(path.dirname(bundle), names)).toEqual([]);
    // The folder backup carries the passphrase and recovery slots, never this machine's keychain slot.
    const folder = path.join(drive, fs.readdirSync(drive)[0] as string);
    expect(
      readKeyFile(folder)!
        .slots.map((s) => s.type)
        .sort(),
    ).toEqual(['passphrase', 'recovery']);
    // And the check sees an encrypted clinic in good health.
    const check = await needlelog('check', '--data-dir', dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('encryption: database encrypted');
    expect(check.stdout).toMatch(/photos: 41 stored, all present/);
  });

  it('refuses a wrong passphrase in one sentence with exit code 1, touching nothing; the recovery key opens', async () => {
    const { dir, recoveryKey } = await demoWithPhoto();
    const before = new Map(filesUnder(dir).map((f) => [f, fs.readFileSync(f)]));
    for (const args of [
      ['check', '--data-dir', dir],
      ['backup', '--data-dir', dir],
      ['export', '--data-dir', dir, '--format', 'csv', '--all', '--out', path.join(tempDir(), 'x.csv')],
    ]) {
      const wrong = await needlelogWith({ NEEDLELOG_PASSPHRASE: 'not the passphrase at all' }, ...args);
      expect(wrong.code, args[0]).toBe(1);
      expect(wrong.stderr.trim()).toBe('That passphrase or recovery key does not open this clinic.');
    }
    const none = await needlelogWith({}, 'check', '--data-dir', dir);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toMatch(/^NeedleLog needs the clinic passphrase: .*\.$/);
    const after = filesUnder(dir);
    expect(after.sort()).toEqual([...before.keys()].sort());
    for (const f of after) expect(fs.readFileSync(f).equals(before.get(f)!), f).toBe(true);

    const file = path.join(tempDir(), 'passphrase.txt');
    fs.writeFileSync(file, `${recoveryKey.toLowerCase().replace(/-/g, ' ')}\n`);
    const recovered = await needlelogWith({}, 'check', '--data-dir', dir, '--passphrase-file', file);
    expect(recovered.code).toBe(0);
    expect(recovered.stdout).toContain('integrity: ok');
  });

  it('restores an encrypted backup folder into a fresh data folder on the passphrase, and not on a wrong one', async () => {
    const { dir } = await demoWithPhoto();
    const drive = tempDir('needlelog-drive-');
    expect((await needlelogAs(DEMO_MANAGER, 'backup', '--data-dir', dir, '--to', drive)).code).toBe(0);
    const folder = path.join(drive, fs.readdirSync(drive)[0] as string);

    const refusedDir = path.join(tempDir(), 'refused');
    const refused = await needlelogWith(
      { NEEDLELOG_PASSPHRASE: 'wrong passphrase here' },
      'restore',
      '--data-dir',
      refusedDir,
      '--from',
      folder,
    );
    expect(refused.code).toBe(1);
    expect(fs.existsSync(databasePath(refusedDir))).toBe(false);

    const fresh = path.join(tempDir(), 'new-machine');
    const restored = await needlelog('restore', '--data-dir', fresh, '--from', folder);
    expect(restored.code).toBe(0);
    const check = await needlelog('check', '--data-dir', fresh);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/records: 30 clients/);
    expect(check.stdout).toMatch(/photos: 41 stored, all present/);
    const db = openDatabase(fresh, keyOf(fresh));
    const services = createServices(db);
    const photo = db.prepare(`SELECT id FROM photos LIMIT 1`).get() as { id: string };
    expect((await services.photos.bytesOf(photo.id, 'full'))?.subarray(0, 3)).toEqual(JPEG);
    closeDatabase(db);
  });

  it('imports a bundle only with its passphrase, refusing a wrong one before writing anything', async () => {
    const { dir } = await demoWithPhoto();
    const bundle = path.join(tempDir(), 'clinic.zip');
    const secretFile = path.join(tempDir(), 'bundle-passphrase');
    fs.writeFileSync(secretFile, 'a passphrase for the other clinic\n');
    expect(
      (
        await needlelogAs(
          DEMO_MANAGER,
          'export',
          '--data-dir',
          dir,
          '--format',
          'zip',
          '--all',
          '--bundle-passphrase-file',
          secretFile,
          '--out',
          bundle,
        )
      ).code,
    ).toBe(0);

    const target = path.join(tempDir(), 'other');
    expect((await needlelog('demo', '--data-dir', target)).code).toBe(0);
    const before = filesUnder(target).map((f) => [f, fs.statSync(f).size]);
    // The clinic passphrase is not the bundle's: refused, nothing written.
    const wrong = await needlelogAs(DEMO_MANAGER, 'import', '--data-dir', target, bundle);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/That passphrase does not open this bundle\. Nothing was imported\./);
    expect(filesUnder(target).map((f) => [f, fs.statSync(f).size])).toEqual(before);

    const right = await needlelogAs(
      DEMO_MANAGER,
      'import',
      '--data-dir',
      target,
      '--bundle-passphrase-file',
      secretFile,
      bundle,
    );
    expect(right.code).toBe(0);
    expect(right.stdout).toMatch(/new: \d+ practitioners, 30 clients/);
  });
});
