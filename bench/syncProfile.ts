/**
 * The first sync of a clinic into an empty room, alone, for profiling (`node --cpu-prof`):
 * BENCH_CLIENTS clients (10,000 ≈ the 121k-session clinic of `npm run bench`). Prints the phases of
 * both ways in: replaying every message (skipped with BENCH_REPLAY=0: minutes at full size), and
 * the clinic snapshot (written, sealed and sent by the full room; fetched, opened and loaded by the
 * empty one, then the round that brings what came after), next to a bare copy of the database file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { demoClinic } from '../electron/services/demo.js';
import { pairedLink, pairRoom } from '../electron/services/sync/client.js';
import { newPairingCode, startRelay } from '../electron/services/sync/relayServer.js';
import { syncRound } from '../electron/services/sync/round.js';
import { publishSnapshot } from '../electron/services/sync/snapshot.js';
import { bulkLoadWithPractitioners } from './clinicFixture.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const REPLAY = process.env.BENCH_REPLAY !== '0';
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const replayOnly = { snapshotAfterMessages: Number.POSITIVE_INFINITY };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-sync-profile-'));
const key = crypto.randomBytes(32);
const full = openDatabase(path.join(tmp, 'a'), crypto.randomBytes(32));
const empty = openDatabase(path.join(tmp, 'b'), crypto.randomBytes(32));
const fresh = openDatabase(path.join(tmp, 'c'), crypto.randomBytes(32));
const relay = await startRelay({ dataDir: path.join(tmp, 'relay'), host: '127.0.0.1', port: 0 });
try {
  const plan = await demoClinic({
    clients: CLIENTS,
    coursesPerClient: [3, 3],
    sessionsPerCourse: [4, 4],
    plannedPerCourse: [4, 6],
    seed: 42,
  });
  bulkLoadWithPractitioners(full, plan);
  const sessions = (full.prepare(`SELECT count(*) AS n FROM sessions`).get() as { n: number }).n;
  let t = performance.now();
  await pairRoom(full, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'A' });
  const messages = (full.prepare(`SELECT count(*) AS n FROM messages`).get() as { n: number }).n;
  console.log(
    `${sessions} sessions, ${messages} messages; pairing (logging every field): ${s(performance.now() - t)}`,
  );
  t = performance.now();
  await syncRound(full, key, pairedLink(full), replayOnly);
  console.log(`upload: ${s(performance.now() - t)}`);
  t = performance.now();
  full.pragma('wal_checkpoint(TRUNCATE)');
  fs.copyFileSync(full.name, path.join(tmp, 'bare-copy.sqlite'));
  console.log(
    `baseline, a bare copy of the whole database file (${(fs.statSync(full.name).size / 2 ** 20).toFixed(0)} MiB): ${s(performance.now() - t)}`,
  );
  if (REPLAY) {
    await pairRoom(empty, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'B' });
    t = performance.now();
    const r = await syncRound(empty, key, pairedLink(empty), replayOnly);
    const ms = performance.now() - t;
    console.log(
      `first sync into an empty room by replay: ${s(ms)} (${r.received} messages, ${Math.round((r.received / ms) * 1000)}/s, ${r.passes} passes)`,
    );
  }
  const published = await publishSnapshot(full, key, pairedLink(full).snapshots);
  console.log(
    `snapshot published: ${(published.bytes / 2 ** 20).toFixed(0)} MiB; written in ${s(published.writeMs)}, sealed and sent in ${s(published.sendMs)}`,
  );
  await pairRoom(fresh, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'C' });
  t = performance.now();
  const cpu = process.cpuUsage();
  const r = await syncRound(fresh, key, pairedLink(fresh));
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const loaded = r.snapshot.loaded!;
  console.log(
    `first sync into an empty room via the snapshot: ${s(ms)} (CPU ${s((used.user + used.system) / 1000)}, relay included) — fetched and opened ${s(loaded.fetchMs)}, loaded in one transaction ${s(loaded.loadMs)} (${loaded.rows} rows ${s(loaded.phasesMs.rows)}, ${loaded.messages} messages ${s(loaded.phasesMs.messages)}, their index ${s(loaded.phasesMs.index)}), then the round ${s(ms - loaded.fetchMs - loaded.loadMs)} (${r.received} messages after it, ${r.passes} passes)`,
  );
} finally {
  closeDatabase(full);
  closeDatabase(empty);
  closeDatabase(fresh);
  await relay.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
