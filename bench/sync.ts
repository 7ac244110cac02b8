/**
 * Sync figures for `npm run bench`: a relay over TLS on 127.0.0.1, the benchmark's clinic as the
 * room that has everything, and empty rooms that pair and catch up: one by replaying every message,
 * one from the clinic snapshot the first room publishes. Figures only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../db/connection.js';
import { createServices } from '../electron/services/index.js';
import { pairedLink, pairRoom } from '../electron/services/sync/client.js';
import { newPairingCode, startRelay } from '../electron/services/sync/relayServer.js';
import { syncRound } from '../electron/services/sync/round.js';
import { publishSnapshot } from '../electron/services/sync/snapshot.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function syncFigures(db: Db): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-sync-'));
  const relay = await startRelay({ dataDir: path.join(tmp, 'relay'), host: '127.0.0.1', port: 0 });
  const key = crypto.randomBytes(32);
  const empty = openDatabase(path.join(tmp, 'room-b'), crypto.randomBytes(32));
  const fresh = openDatabase(path.join(tmp, 'room-c'), crypto.randomBytes(32));
  // The replay figures are of replay alone: no room publishes a snapshot on its own here.
  const replayOnly = { snapshotAfterMessages: Number.POSITIVE_INFINITY };
  try {
    const sessions = (db.prepare(`SELECT count(*) AS n FROM sessions`).get() as { n: number }).n;
    let t = performance.now();
    await pairRoom(db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'A' });
    const pairMs = performance.now() - t;
    const messages = (db.prepare(`SELECT count(*) AS n FROM messages`).get() as { n: number }).n;
    t = performance.now();
    // The floor for any first sync: copying the whole database file (an encrypted clinic cannot
    // be copied by SQLite's backup API into a fresh file, so the file itself, after a checkpoint).
    db.pragma('wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(db.name, path.join(tmp, 'bare-copy.sqlite'));
    const copyMs = performance.now() - t;
    console.log(
      `  sync: pairing the benchmark clinic logs its ${messages.toLocaleString('en')} fields: ${seconds(pairMs)}`,
    );
    t = performance.now();
    await syncRound(db, key, pairedLink(db), replayOnly);
    const pushMs = performance.now() - t;
    await pairRoom(empty, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'B' });
    t = performance.now();
    const first = await syncRound(empty, key, pairedLink(empty), replayOnly);
    const firstMs = performance.now() - t;
    console.log(
      `  sync: first upload of the clinic to the relay: ${seconds(pushMs)}   (baseline: a bare copy of the whole database file ${seconds(copyMs)})`,
    );
    console.log(
      `  sync: first sync of a ${sessions.toLocaleString('en')}-session clinic into an empty room by replaying every message: ${seconds(firstMs)} (the goal, < 60 s, is for the first sync via the snapshot, below); ${first.received.toLocaleString('en')} messages, ${Math.round((first.received / firstMs) * 1000).toLocaleString('en')}/s, ${((firstMs * 1000) / Math.max(1, first.received)).toFixed(0)} µs each (profile: node --cpu-prof --import tsx bench/syncProfile.ts)`,
    );

    t = performance.now();
    const published = await publishSnapshot(db, key, pairedLink(db).snapshots);
    const publishMs = performance.now() - t;
    const snapshotBytes = (relay.db.prepare(`SELECT bytes FROM snapshots`).pluck().get() as number) ?? 0;
    await pairRoom(fresh, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'C' });
    t = performance.now();
    const viaSnapshot = await syncRound(fresh, key, pairedLink(fresh));
    const snapshotMs = performance.now() - t;
    console.log(
      `  sync: publishing the clinic snapshot (${(snapshotBytes / 1024 / 1024).toFixed(0)} MiB, ${published.messages.toLocaleString('en')} messages; write, seal, upload): ${seconds(publishMs)}`,
    );
    console.log(
      `  sync: first sync of a ${sessions.toLocaleString('en')}-session clinic into an empty room via the snapshot: ${seconds(snapshotMs)} (goal < 60 s; replay above ${seconds(firstMs)}; bare file copy ${seconds(copyMs)}); ${viaSnapshot.received.toLocaleString('en')} messages replayed after it`,
    );

    const services = createServices(db);
    const practitionerId = (
      db.prepare(`SELECT id FROM practitioners WHERE deleted_at IS NULL LIMIT 1`).get() as { id: string }
    ).id;
    const courseId = (
      db.prepare(`SELECT id FROM courses WHERE deleted_at IS NULL LIMIT 1`).get() as { id: string }
    ).id;
    services.actAs(practitionerId);
    for (let i = 0; i < 100; i++) {
      services.sessions.create({
        courseId,
        practitionerId,
        performedAt: new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString(),
        zones: [{ zone: 'upper_lip', depthMm: 0.5 }],
      });
    }
    // From the 100th save to the sessions readable in the other room: one round in each (the sender's
    // send, the receiver's fetch), as the app runs them, over loopback TLS.
    t = performance.now();
    const sent = await syncRound(db, key, pairedLink(db));
    const sentMs = performance.now() - t;
    const r = await syncRound(empty, key, pairedLink(empty));
    const visibleMs = performance.now() - t;
    const seen = (
      empty.prepare(`SELECT count(*) AS n FROM sessions WHERE performed_at >= '2027-01-01'`).get() as {
        n: number;
      }
    ).n;
    console.log(
      `  sync: 100 new sessions from one room visible in another (loopback TLS): ${visibleMs.toFixed(0)} ms from the 100th save (sender's round ${sentMs.toFixed(0)} ms, ${sent.sent} changes; receiver's ${(visibleMs - sentMs).toFixed(0)} ms, ${r.received} changes, ${seen} sessions there) (goal < 1 s)`,
    );
  } finally {
    closeDatabase(empty);
    closeDatabase(fresh);
    await relay.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
