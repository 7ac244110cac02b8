import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  closeDatabase,
  databasePath,
  isPlaintextDatabase,
  openDatabase,
  openSqliteFile,
} from '../../db/connection.js';
import { createBackup } from '../../electron/services/backups.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { clinicState, UPGRADE_MARKER } from '../../electron/services/encryption.js';
import { createServices } from '../../electron/services/index.js';
import { readKeyFile, unlockWithSecret } from '../../electron/services/keySlots.js';
import { PHOTO_VARIANTS, photoStore } from '../../electron/services/photoStore.js';
import { tempDir } from '../support/clinic.js';
import { needlelogWith } from '../support/cli.js';
import { plainJpeg } from '../support/images.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.resolve(here, '../crash/encryptWorker.ts');
const PASSPHRASE = 'upgrade clinic passphrase';

interface Truth {
  counts: string;
  photos: { id: string; sha256: string }[];
  names: string[];
}

/**
 * A clinic as NeedleLog kept it before encryption: a plain database, photos as plain JPEG files
 * named by their SHA-256, and a plain backup. Made with today's services, then turned back.
 */
async function plainClinic(): Promise<{ dir: string; truth: Truth }> {
  const dir = tempDir('needlelog-plain-');
  const db = openDatabase(dir, null);
  const services = createServices(db);
  const plan = demoClinic({ clients: 6 });
  loadDemoStep(services, plan, -1);
  plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
  const sessions = db.prepare(`SELECT id FROM sessions ORDER BY id LIMIT 4`).all() as { id: string }[];
  const store = photoStore(dir);
  for (const [i, s] of sessions.entries()) {
    for (const view of ['frontal', 'left_oblique'] as const) {
      const p = await services.photos.import({
        sessionId: s.id,
        kind: 'before',
        view,
        data: await plainJpeg(240, 180, i * 2 + (view === 'frontal' ? 1 : 2)),
      });
      const ref = db
        .prepare(`SELECT file_id AS fileId, file_key AS fileKey FROM photos WHERE id = ?`)
        .get(p.id) as { fileId: string; fileKey: Buffer };
      for (const v of PHOTO_VARIANTS) {
        const plain = await store.read(ref, v);
        fs.mkdirSync(path.dirname(store.legacyPathOf(p.sha256, v)), { recursive: true });
        fs.writeFileSync(store.legacyPathOf(p.sha256, v), plain);
      }
      store.remove(ref.fileId);
    }
  }
  db.exec(`UPDATE photos SET file_id = NULL, file_key = NULL`);
  await createBackup(db, dir, 'manual');
  const truth: Truth = {
    counts: countsOf(db),
    photos: db.prepare(`SELECT id, sha256 FROM photos ORDER BY id`).all() as { id: string; sha256: string }[],
    names: (
      db.prepare(`SELECT first_name || ' ' || last_name AS n FROM clients`).all() as { n: string }[]
    ).map((r) => r.n),
  };
  closeDatabase(db);
  return { dir, truth };
}

function countsOf(db: ReturnType<typeof openDatabase>): string {
  return ['clients', 'courses', 'sessions', 'session_zones', 'adverse_events', 'photos', 'audit_log']
    .map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n)
    .join('/');
}

/**
 * After any kill: the clinic opens (plain or encrypted, whichever it is now), holds every record,
 * and every photo is there: sealed and opening to the same image, or still plain.
 */
async function checkIntact(dir: string, truth: Truth): Promise<string[]> {
  const problems: string[] = [];
  const file = databasePath(dir);
  const keyFile = readKeyFile(dir);
  const plain = isPlaintextDatabase(file);
  const key = plain ? null : unlockWithSecret(keyFile!, PASSPHRASE).key;
  const db = openSqliteFile(file, key, { readonly: true, fileMustExist: true });
  try {
    if (db.pragma('integrity_check', { simple: true }) !== 'ok') problems.push('integrity_check failed');
    if (countsOf(db) !== truth.counts) problems.push(`counts ${countsOf(db)}, expected ${truth.counts}`);
    const store = photoStore(dir);
    for (const p of truth.photos) {
      const row = db
        .prepare(`SELECT file_id AS fileId, file_key AS fileKey FROM photos WHERE id = ?`)
        .get(p.id) as { fileId: string | null; fileKey: Buffer | null };
      let bytes: Buffer | null = null;
      try {
        bytes =
          row.fileId && row.fileKey
            ? await store.read({ fileId: row.fileId, fileKey: row.fileKey }, 'full')
            : fs.readFileSync(store.legacyPathOf(p.sha256, 'full'));
      } catch (err) {
        problems.push(`photo ${p.id}: ${(err as Error).message}`);
      }
      if (bytes && crypto.createHash('sha256').update(bytes).digest('hex') !== p.sha256)
        problems.push(`photo ${p.id}: not the same image`);
    }
  } finally {
    db.close();
  }
  return problems;
}

/**
 * Runs the upgrade in a child, SIGKILLed as its `killAtStep`-th progress line arrives (or left to
 * finish); true when it finished. Counting steps rather than milliseconds puts the kills inside the
 * upgrade however fast the machine is: the signal lands wherever the child has got to by then.
 */
function runUpgrade(dir: string, killAtStep: number | null): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dir, PASSPHRASE], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: path.resolve(here, '../..'),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const steps = out.split('\n').filter((l) => l.startsWith('STEP ')).length;
      if (killAtStep !== null && steps >= killAtStep && !out.includes('DONE')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (out.includes('DONE')) resolve(true);
      else if (signal === 'SIGKILL') resolve(false);
      else reject(new Error(`the upgrade failed (code ${code}):\n${err}`));
    });
  });
}

describe('upgrading a clinic made before encryption', { timeout: 300_000 }, () => {
  it('survives SIGKILL at random moments: nothing lost, the clinic always opens, and it ends fully encrypted', async () => {
    const { dir, truth } = await plainClinic();
    expect(clinicState(dir)).toBe('plaintext');
    const random = (() => {
      let seed = 14;
      return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    })();
    let kills = 0;
    let finished = false;
    for (let round = 0; round < 8 && !finished; round++) {
      // A full upgrade reports 11 steps (backup, database, 8 photos, check); a resumed one fewer.
      finished = await runUpgrade(dir, 1 + Math.floor(random() * 6));
      if (!finished) kills += 1;
      expect(await checkIntact(dir, truth), `after round ${round}`).toEqual([]);
    }
    if (!finished) finished = await runUpgrade(dir, null);
    expect(finished).toBe(true);
    expect(kills).toBeGreaterThan(0);

    // Fully encrypted: database, every photo sealed, no plain copy or plain backup left.
    expect(clinicState(dir)).toBe('locked');
    expect(fs.existsSync(path.join(dir, UPGRADE_MARKER))).toBe(false);
    expect(isPlaintextDatabase(databasePath(dir))).toBe(false);
    expect(photoStore(dir).listLegacyHashes()).toEqual([]);
    expect(photoStore(dir).listFileIds()).toHaveLength(truth.photos.length);
    expect(await checkIntact(dir, truth)).toEqual([]);
    for (const f of fs.readdirSync(path.join(dir, 'backups'))) {
      expect(isPlaintextDatabase(path.join(dir, 'backups', f)), f).toBe(false);
    }
    const names = Buffer.from(truth.names[0] as string);
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const full = path.join(dir, f);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(names), f).toBe(false);
    }
    // And the CLI opens it with the passphrase.
    const check = await needlelogWith({ NEEDLELOG_PASSPHRASE: PASSPHRASE }, 'check', '--data-dir', dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('encryption: database encrypted');
  });

  it('`needlelog encrypt` encrypts a plain clinic, shows the recovery key and the note about disk blocks', async () => {
    const { dir } = await plainClinic();
    const r = await needlelogWith({ NEEDLELOG_PASSPHRASE: PASSPHRASE }, 'encrypt', '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/8 photos; 2 plain backup\(s\) removed after the check/);
    expect(r.stdout).toMatch(/full-disk encryption/);
    expect(r.stdout).toMatch(/([0-9A-Z]{4}-){7}[0-9A-Z]{4}/);
    const again = await needlelogWith({ NEEDLELOG_PASSPHRASE: PASSPHRASE }, 'encrypt', '--data-dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/encrypted already/);
  });
});
