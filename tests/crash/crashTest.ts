/**
 * Crash test: a child process (tests/crash/worker.ts) saves sessions and imports photos through the
 * real services in a loop, printing each acknowledged write; this parent kills it with SIGKILL at a
 * random moment, reopens the data directory and checks that nothing acknowledged was lost.
 *
 *   npx tsx tests/crash/crashTest.ts --kills 200 [--data-dir DIR] [--seed N]
 *
 * Checked after every kill: every acknowledged session exists with exactly its two zone depths;
 * every acknowledged photo row exists with its sha256 and its three files, the full one hashing to
 * that sha256; integrity_check is ok and foreign_key_check is empty; no photo row points at a
 * missing file. Files without a row are allowed (the file is written durably before its row).
 * The same data directory is reused from kill to kill, so the database keeps growing.
 *
 * What SIGKILL proves: a process dying at any instruction never loses or tears an acknowledged
 * write. It does not simulate power loss (the kernel still flushes what it was given).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.js';
import { createServices } from '../../electron/services/index.js';
import { testKeyFor } from '../support/clinic.js';
import { PHOTO_VARIANTS, photoStore } from '../../electron/services/photoStore.js';
import { signConsent } from '../support/signatures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER = path.join(here, 'worker.ts');

export interface CrashTestOptions {
  kills: number;
  /** Reused if it exists; a fresh temp directory otherwise. */
  dataDir?: string;
  /** Longest random wait, after the first acknowledgement, before the SIGKILL. */
  maxDelayMs?: number;
  /** Share of kills aimed at start-up (opening, migrating) instead of after the first write. */
  startupKillShare?: number;
  /** Deterministic randomness for the kill moments. */
  seed?: number;
  log?: (line: string) => void;
}

export interface CrashTestResult {
  dataDir: string;
  kills: number;
  /** Kills that landed before the child acknowledged anything. */
  startupKills: number;
  acknowledged: { sessions: number; photos: number };
  /** Acknowledged writes verified present and whole (all of them, or the run throws). */
  verified: number;
  lost: number;
  /** Files written whose row never landed (allowed; `needlelog check` reports them). */
  orphanedFiles: number;
  summary: string;
}

interface AckedSession {
  id: string;
  zones: { zone: string; depthMm: number }[];
}
interface AckedPhoto {
  id: string;
  sha256: string;
}

/** mulberry32: small, seedable, good enough to spread kill moments. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedClinic(dataDir: string): { courseId: string; practitionerId: string } {
  const db = openDatabase(dataDir, testKeyFor(dataDir));
  try {
    const existing = db
      .prepare(
        `SELECT c.id AS courseId, s.value_json AS p FROM courses c, settings s
         WHERE s.key = 'currentPractitionerId' ORDER BY c.created_at LIMIT 1`,
      )
      .get() as { courseId: string; p: string } | undefined;
    if (existing) return { courseId: existing.courseId, practitionerId: JSON.parse(existing.p) as string };
    const services = createServices(db, { dataDir });
    const practitioner = services.practitioners.create({ name: 'Crash Test Practitioner' });
    services.actAs(practitioner.id);
    services.settings.update({ clinicName: 'Crash Test Clinic', currentPractitionerId: practitioner.id });
    const client = services.clients.create({ firstName: 'Crash', lastName: 'Dummy' });
    const course = services.courses.create({
      clientId: client.id,
      area: 'full_face',
      indication: 'acne_scars',
      plannedSessions: 50,
      plannedIntervalDays: 28,
      startedOn: '2020-01-01',
    });
    signConsent(services, course.id);
    return { courseId: course.id, practitionerId: practitioner.id };
  } finally {
    closeDatabase(db);
  }
}

interface Round {
  sessions: AckedSession[];
  photos: AckedPhoto[];
  startupKill: boolean;
  stderr: string;
}

/** Runs one child until the kill; resolves with what it acknowledged. */
function runOnce(
  dataDir: string,
  ids: { courseId: string; practitionerId: string },
  random: () => number,
  opts: { maxDelayMs: number; startupKillShare: number },
): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, dataDir, ids.courseId, ids.practitionerId],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(here, '../..') },
    );
    const round: Round = { sessions: [], photos: [], startupKill: false, stderr: '' };
    let buffered = '';
    let killTimer: NodeJS.Timeout | undefined;
    let killed = false;
    const kill = () => {
      killed = true;
      child.kill('SIGKILL');
    };
    const armAfterFirstAck = () => {
      if (killTimer || round.startupKill) return;
      killTimer = setTimeout(kill, Math.floor(random() * opts.maxDelayMs));
    };
    if (random() < opts.startupKillShare) {
      // Somewhere in start-up: loading modules, opening and checking the database.
      round.startupKill = true;
      killTimer = setTimeout(kill, Math.floor(random() * 1500));
    }
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const parts = line.split(' ');
        if (parts[0] === 'ACK' && parts[1] === 'session' && parts[2] && parts[3]) {
          round.sessions.push({
            id: parts[2],
            zones: parts[3].split(',').map((z) => {
              const [zone, depth] = z.split('=');
              return { zone: zone as string, depthMm: Number(depth) };
            }),
          });
          armAfterFirstAck();
        } else if (parts[0] === 'ACK' && parts[1] === 'photo' && parts[2] && parts[3]) {
          round.photos.push({ id: parts[2], sha256: parts[3] });
          armAfterFirstAck();
        }
      }
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      round.stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      // A line cut short by the kill was never acknowledged; any whole line was parsed above.
      if (killed && signal === 'SIGKILL') resolve(round);
      else
        reject(new Error(`crash worker exited by itself (code ${code}, signal ${signal}):\n${round.stderr}`));
    });
  });
}

/** Opens the data directory as the app would after a crash and checks everything acknowledged. */
async function verify(
  dataDir: string,
  sessions: AckedSession[],
  photos: AckedPhoto[],
): Promise<{ problems: string[]; orphanedFiles: number }> {
  const problems: string[] = [];
  let db: Db | undefined;
  try {
    db = openDatabase(dataDir, testKeyFor(dataDir));
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
      problems.push(`integrity_check: ${integrity.map((r) => r.integrity_check).join('; ')}`);
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);

    const sessionRow = db.prepare(`SELECT id, deleted_at AS deletedAt FROM sessions WHERE id = ?`);
    const zoneRows = db.prepare(
      `SELECT zone, depth_mm AS depthMm FROM session_zones WHERE session_id = ? ORDER BY position`,
    );
    for (const s of sessions) {
      const row = sessionRow.get(s.id) as { id: string; deletedAt: string | null } | undefined;
      if (!row) {
        problems.push(`session ${s.id}: acknowledged but missing`);
        continue;
      }
      if (row.deletedAt !== null) problems.push(`session ${s.id}: marked deleted`);
      const zones = zoneRows.all(s.id) as { zone: string; depthMm: number }[];
      if (JSON.stringify(zones) !== JSON.stringify(s.zones)) {
        problems.push(
          `session ${s.id}: zones ${JSON.stringify(zones)}, acknowledged ${JSON.stringify(s.zones)}`,
        );
      }
    }

    const store = photoStore(dataDir);
    const photoRow = db.prepare(
      `SELECT sha256, deleted_at AS deletedAt, file_id AS fileId, file_key AS fileKey FROM photos WHERE id = ?`,
    );
    for (const p of photos) {
      const row = photoRow.get(p.id) as
        { sha256: string; deletedAt: string | null; fileId: string; fileKey: Buffer } | undefined;
      if (!row) {
        problems.push(`photo ${p.id}: acknowledged but missing`);
        continue;
      }
      if (row.sha256 !== p.sha256)
        problems.push(`photo ${p.id}: sha256 ${row.sha256}, acknowledged ${p.sha256}`);
      for (const variant of PHOTO_VARIANTS) {
        const file = store.pathOf(row.fileId, variant);
        if (!fs.existsSync(file)) problems.push(`photo ${p.id}: ${variant} file missing`);
        else if (fs.statSync(file).size === 0) problems.push(`photo ${p.id}: ${variant} file empty`);
      }
      // The sealed full-size file opens under its key and holds exactly the acknowledged image.
      const full = store.pathOf(row.fileId, 'full');
      if (fs.existsSync(full)) {
        let plain: Buffer | null = null;
        try {
          plain = await store.read(row, 'full');
        } catch {
          problems.push(`photo ${p.id}: full file torn (does not decrypt)`);
        }
        if (plain && crypto.createHash('sha256').update(plain).digest('hex') !== p.sha256)
          problems.push(`photo ${p.id}: full file torn`);
      }
    }

    // No row, acknowledged or not, may point at a missing file.
    const fileIds = db.prepare(`SELECT file_id AS f FROM photos`).all() as { f: string }[];
    const referenced = new Set(fileIds.map((h) => h.f));
    for (const h of referenced) {
      if (!store.has(h)) problems.push(`photo row with file ${h.slice(0, 12)}… has missing files`);
    }
    const orphanedFiles = store.listFileIds().filter((h) => !referenced.has(h)).length;
    return { problems, orphanedFiles };
  } finally {
    if (db) closeDatabase(db);
  }
}

export async function runCrashTest(options: CrashTestOptions): Promise<CrashTestResult> {
  const log = options.log ?? (() => {});
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-crash-'));
  const random = rng(options.seed ?? crypto.randomInt(2 ** 31));
  const maxDelayMs = options.maxDelayMs ?? 400;
  const startupKillShare = options.startupKillShare ?? 0.15;
  const ids = seedClinic(dataDir);

  const allSessions: AckedSession[] = [];
  const allPhotos: AckedPhoto[] = [];
  let startupKills = 0;
  let orphanedFiles = 0;
  for (let k = 1; k <= options.kills; k++) {
    const round = await runOnce(dataDir, ids, random, { maxDelayMs, startupKillShare });
    if (round.sessions.length + round.photos.length === 0) startupKills++;
    allSessions.push(...round.sessions);
    allPhotos.push(...round.photos);
    // Each round checks its own writes; earlier ones are checked again at the end.
    const result = await verify(dataDir, round.sessions, round.photos);
    orphanedFiles = result.orphanedFiles;
    if (result.problems.length > 0) {
      throw new Error(
        `after kill ${k} (data dir ${dataDir}): ${result.problems.length} problem(s):\n` +
          result.problems.slice(0, 20).join('\n'),
      );
    }
    log(
      `kill ${k}/${options.kills}: ${round.sessions.length} sessions, ${round.photos.length} photos acknowledged` +
        `${round.sessions.length + round.photos.length === 0 ? ' (killed in start-up)' : ''}; all present`,
    );
  }
  const final = await verify(dataDir, allSessions, allPhotos);
  if (final.problems.length > 0) {
    throw new Error(`final check (data dir ${dataDir}):\n${final.problems.slice(0, 20).join('\n')}`);
  }
  const verified = allSessions.length + allPhotos.length;
  return {
    dataDir,
    kills: options.kills,
    startupKills,
    acknowledged: { sessions: allSessions.length, photos: allPhotos.length },
    verified,
    lost: 0,
    orphanedFiles: final.orphanedFiles || orphanedFiles,
    summary: `${options.kills} kills survived, ${verified} acknowledged writes verified, 0 lost`,
  };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

async function cli(): Promise<void> {
  const args = process.argv.slice(2);
  const kills = Number(argValue(args, '--kills') ?? 50);
  if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills must be a whole number ≥ 1');
  const seedArg = argValue(args, '--seed');
  const dataDirArg = argValue(args, '--data-dir');
  const result = await runCrashTest({
    kills,
    ...(dataDirArg ? { dataDir: path.resolve(dataDirArg) } : {}),
    ...(seedArg ? { seed: Number(seedArg) } : {}),
    log: (line) => console.log(line),
  });
  console.log(
    `data dir ${result.dataDir}: ${result.acknowledged.sessions} sessions and ${result.acknowledged.photos} ` +
      `photos acknowledged; ${result.startupKills} kill(s) landed in start-up; ` +
      `${result.orphanedFiles} photo file(s) without a row (allowed)`,
  );
  console.log(result.summary);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
