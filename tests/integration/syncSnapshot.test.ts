import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pairRoom, pairedLink, postPinned, RelayRefusedError } from '../../electron/services/sync/client.js';
import { newPairingCode, startRelay, type RunningRelay } from '../../electron/services/sync/relayServer.js';
import { syncRound } from '../../electron/services/sync/round.js';
import {
  chunkKeyOf,
  maybePublishSnapshot,
  SNAPSHOT_EVERY_MS,
  snapshotQuery,
} from '../../electron/services/sync/snapshot.js';
import { isEmptyRoom, loadSnapshot, RoomNotEmptyError } from '../../db/sync/snapshot.js';
import { readSyncState } from '../../db/sync/state.js';
import { MAX_SNAPSHOT_STORAGE_BYTES, type RelaySnapshot } from '../../db/relay.js';
import { addToTrie, parseTimestamp, type TrieNode } from '../../db/sync/clock.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { kept, recount } from '../support/aggregates.js';
import { plainJpeg } from '../support/images.js';
import { TEST_PIN } from '../support/signIn.js';
import { merkleHash, recordTables, testClinicKey } from '../support/sync.js';
import { Timestamp } from '@actual-app/crdt';
import { openBytes, seal } from '../../electron/services/sync/envelope.js';
import { messagesSince } from '../../db/sync/messages.js';
import { LATEST_VERSION } from '../../db/migrate.js';
import { databaseKey, openDatabase, openFileReader, openMoreConnection } from '../../db/connection.js';

/*
 * The snapshot-based first sync, over a real relay on 127.0.0.1 (TLS) with real clinic files: a
 * synced room publishes a sealed snapshot, an empty room starts from it and then fetches only the
 * changes made after it.
 */

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function relayIn(): Promise<RunningRelay> {
  const relay = await startRelay({ dataDir: tempDir('needlelog-relay-'), host: '127.0.0.1', port: 0 });
  cleanup.push(() => relay.close());
  return relay;
}

async function pairedRoom(
  relay: RunningRelay,
  key: Buffer,
  name: string,
  before?: (r: TestClinic) => unknown,
) {
  const r = openTestClinic();
  cleanup.push(() => r.close());
  await before?.(r);
  await pairRoom(r.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name });
  return r;
}

/** A round as the app runs it, publishing once 100 messages are newer than the relay's snapshot. */
const sync = (r: TestClinic, key: Buffer) =>
  syncRound(r.db, key, pairedLink(r.db), { snapshotAfterMessages: 100 });

/** A relay, the clinic key, and Room 1 holding the test clinic, synced once (so it published a snapshot). */
async function clinicAtRelay() {
  const relay = await relayIn();
  const key = testClinicKey();
  const a = await pairedRoom(relay, key, 'Room 1');
  await clinicIn(a);
  await sync(a, key);
  return { relay, key, a };
}

/** Two rooms hold the same records, and their Merkle tries say so. */
function expectInStep(b: TestClinic, a: TestClinic) {
  expect(recordTables(b.db)).toEqual(recordTables(a.db));
  expect(merkleHash(b.db)).toBe(merkleHash(a.db));
}

const session = (courseId: string, practitionerId: string, day: number, extra: object = {}) => ({
  courseId,
  practitionerId,
  performedAt: new Date(Date.parse('2026-01-05T10:00:00Z') + day * 86_400_000).toISOString(),
  zones: [{ zone: 'upper_lip' as const, depthMm: 0.25 + (day % 6) * 0.25 }],
  ...extra,
});

/** Room A: a small clinic with the kinds of record that travel, deletes, a photo and a signature. */
async function clinicIn(a: TestClinic) {
  const seeded = seedCourse(a);
  const { practitioner, course } = seeded;
  a.services.settings.update({ clinicName: 'Clinic of the snapshot', locale: 'de-DE' });
  const sessions = [];
  for (let day = 0; day < 12; day++) {
    sessions.push(
      a.services.sessions.create(
        session(course.id, practitioner.id, day, {
          ...(day === 0 ? { photoConsent: 'record' as const } : {}),
          ...(day === 1 ? { consentOverrideReason: 'Consent signed on paper' } : {}),
          pain: day % 5,
        }),
      ).value,
    );
  }
  for (let i = 0; i < 4; i++) {
    const c = a.services.clients.create({ firstName: `Ana ${i}`, lastName: `Ávila ${i}` });
    a.services.courses.create({
      clientId: c.id,
      area: 'lips_perioral',
      indication: 'lip_enhancement',
      plannedSessions: 3,
      plannedIntervalDays: 28,
      startedOn: '2026-01-05',
    });
  }
  a.services.sessions.delete({ id: sessions[5]!.id });
  await a.services.photos.import({
    sessionId: sessions[0]!.id,
    kind: 'after',
    view: 'frontal',
    data: await plainJpeg(160, 120, 7),
  });
  await a.services.signing.sign({ sessionId: sessions[1]!.id, pin: TEST_PIN });
  return { ...seeded, sessions };
}

describe('snapshot-based first sync', () => {
  it('an empty room starts from the snapshot: records, Merkle and overview identical; later edits by the normal round', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const a = await pairedRoom(relay, key, 'Room 1');
    const { client, practitioner, course } = await clinicIn(a);
    const first = await sync(a, key);
    expect(first.snapshot.published).toMatchObject({ messages: expect.any(Number) });
    const published = first.snapshot.published!;
    expect(relay.db.prepare(`SELECT count(*) FROM snapshots WHERE complete = 1`).pluck().get()).toBe(1);
    // The relay holds opaque bytes and the snapshot's time: no record in the clear.
    const chunks = relay.db.prepare(`SELECT sealed FROM snapshot_chunks`).pluck().all() as Buffer[];
    expect(Buffer.concat(chunks).toString('latin1')).not.toContain('Okafor');
    expect(fs.readFileSync(relay.db.name).toString('latin1')).not.toContain('Okafor');
    // Sealed under a key of its own (derived from the sync key), not the envelopes' sync key.
    const head = relay.db.prepare(`SELECT id, time, chunks, bytes FROM snapshots`).get() as RelaySnapshot;
    const aad = Buffer.from(`NeedleLog snapshot ${head.id} ${head.time} 0/${head.chunks} ${head.bytes}`);
    expect(() => openBytes(key, aad, chunks[0]!)).toThrow();
    expect(openBytes(chunkKeyOf(key), aad, chunks[0]!).length).toBeGreaterThan(0);

    // After the snapshot, room A goes on working: these reach the new room by the normal round.
    a.services.clients.update({ id: client.id, patch: { notes: 'after the snapshot' } });
    const later = a.services.sessions.create(session(course.id, practitioner.id, 30)).value;
    expect((await sync(a, key)).snapshot.published).toBeNull();

    // The new room's own date format, a setting of this machine (set before anything else).
    const b = await pairedRoom(relay, key, 'Room 2', (r) =>
      r.db
        .prepare(`INSERT INTO settings (key, value_json, updated_at) VALUES ('locale', ?, ?)`)
        .run(JSON.stringify('fr-FR'), new Date().toISOString()),
    );
    expect(isEmptyRoom(b.db)).toBe(true);
    // A scratch file an earlier crash left behind goes with the next snapshot taken.
    fs.writeFileSync(path.join(b.dir, `sync-snapshot-${crypto.randomUUID()}.tmp`), 'left by a crash');
    const round = await sync(b, key);
    expect(round.snapshot).toMatchObject({ refused: null, published: null });
    expect(round.snapshot.loaded).toMatchObject({ time: published.time, messages: published.messages });
    // Only what came after the snapshot was replayed: a few dozen messages, not the whole log.
    expect(round.received).toBeGreaterThan(0);
    expect(round.received).toBeLessThan(published.messages / 4);
    expect(round.files).toMatchObject({ received: 1, refused: 0 });
    expect(b.services.clients.get({ id: client.id }).notes).toBe('after the snapshot');
    expect(b.services.sessions.get({ id: later.id }).number).toBe(12);

    await sync(a, key); // Room 2's own row (its name) reaches Room 1
    expectInStep(b, a);
    const relayTrie = JSON.parse(
      relay.db.prepare(`SELECT trie FROM relay_merkle`).pluck().get() as string,
    ) as {
      hash: number;
    };
    expect(merkleHash(b.db)).toBe(relayTrie.hash);
    // …and it is what the new room's own log says, recomputed from every message time in it.
    const rebuilt: TrieNode = {};
    for (const t of b.db.prepare(`SELECT timestamp FROM messages`).pluck().all() as string[])
      addToTrie(rebuilt, parseTimestamp(t));
    expect(merkleHash(b.db)).toBe(rebuilt.hash);
    // Derived values were recomputed where the rows landed, not taken on trust.
    expect(kept(b.db)).toEqual(recount(b.db));
    expect(b.services.clients.list({ query: 'avila 2' }).items).toHaveLength(1);

    // What is about one machine stayed on it.
    const local = (db: TestClinic['db']) => ({
      locale: db.prepare(`SELECT value_json FROM settings WHERE key = 'locale'`).pluck().get(),
      current: db
        .prepare(`SELECT value_json FROM settings WHERE key = 'currentPractitionerId'`)
        .pluck()
        .get(),
      pins: db.prepare(`SELECT count(*) FROM practitioner_pins`).pluck().get(),
      accessLog: db.prepare(`SELECT count(*) FROM access_log`).pluck().get(),
    });
    expect(local(b.db)).toEqual({
      locale: JSON.stringify('fr-FR'),
      current: undefined,
      pins: 0,
      accessLog: 0,
    });
    expect(local(a.db).locale).toBe(JSON.stringify('de-DE'));
    const [stateA, stateB] = [readSyncState(a.db), readSyncState(b.db)];
    expect(stateB.deviceId).not.toBe(stateA.deviceId);
    expect(stateB.home).toBe(b.db.name);
    expect(b.db.prepare(`SELECT name FROM sync_rooms ORDER BY name`).pluck().all()).toEqual([
      'Room 1',
      'Room 2',
    ]);

    // From here on, ordinary rounds both ways.
    b.services.actAs(practitioner.id);
    b.services.clients.update({ id: client.id, patch: { phone: '+44 20 7946 0001' } });
    await sync(b, key);
    await sync(a, key);
    expect(a.services.clients.get({ id: client.id }).phone).toBe('+44 20 7946 0001');
    expectInStep(b, a);
    // No scratch file left behind in either room's folder.
    for (const r of [a, b])
      expect(fs.readdirSync(r.dir).filter((f) => f.startsWith('sync-snapshot'))).toEqual([]);
  });

  it('a tampered snapshot chunk refuses the whole snapshot with a clear sentence; the room replays instead', async () => {
    const { relay, key, a } = await clinicAtRelay();
    const row = relay.db
      .prepare(`SELECT snapshot_id AS id, n, sealed FROM snapshot_chunks LIMIT 1`)
      .get() as {
      id: string;
      n: number;
      sealed: Buffer;
    };
    row.sealed[40] = row.sealed[40]! ^ 1;
    relay.db
      .prepare(`UPDATE snapshot_chunks SET sealed = ? WHERE snapshot_id = ? AND n = ?`)
      .run(row.sealed, row.id, row.n);
    const b = await pairedRoom(relay, key, 'Room 2');
    const round = await sync(b, key);
    expect(round.snapshot.loaded).toBeNull();
    expect(round.snapshot.refused).toMatch(
      /clinic snapshot at the relay failed its integrity check.*refused whole/,
    );
    // The replay brought everything instead.
    expect(round.received).toBeGreaterThan(200);
    await sync(a, key);
    expectInStep(b, a);
  });

  it('a room that already holds records never takes a snapshot', async () => {
    const { relay, key } = await clinicAtRelay();
    // Room 3 has a clinic of its own (say, set up before it joined): it merges by messages.
    const c = await pairedRoom(relay, key, 'Room 3', (r) => seedCourse(r));
    expect(isEmptyRoom(c.db)).toBe(false);
    const round = await sync(c, key);
    expect(round.snapshot).toMatchObject({ loaded: null, refused: null });
    expect(round.received).toBeGreaterThan(200);
    // Asked directly, loading one is refused; a room that has synced once is not empty either.
    expect(() => loadSnapshot(c.db, '/nonexistent', key)).toThrow(RoomNotEmptyError);
    const d = await pairedRoom(relay, key, 'Room 4');
    await syncRound(d.db, key, pairedLink(d.db), { snapshotAfterMessages: 100 });
    expect(isEmptyRoom(d.db)).toBe(false);
  });

  it('the relay keeps only the newest snapshot, refuses an older one and checks what it is sent', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const a = await pairedRoom(relay, key, 'Room 1');
    const { client } = await clinicIn(a);
    const first = (await sync(a, key)).snapshot.published!;
    for (let i = 0; i < 10; i++) a.services.clients.update({ id: client.id, patch: { notes: `edit ${i}` } });
    await sync(a, key);
    const link = pairedLink(a.db);
    // Within the interval nothing is published; after it, with enough new messages, a newer one.
    expect(await maybePublishSnapshot(a.db, key, link.snapshots, 20)).toBeNull();
    const second = await maybePublishSnapshot(
      a.db,
      key,
      link.snapshots,
      20,
      new Date(Date.now() + SNAPSHOT_EVERY_MS),
    );
    expect(second!.time > first.time).toBe(true);
    expect(relay.db.prepare(`SELECT time FROM snapshots`).pluck().all()).toEqual([second!.time]);
    const { snapshot } = await link.snapshots.latest();
    expect(snapshot!.time).toBe(second!.time);
    // An upload not newer than the one held is refused; so is a chunk the relay cannot read.
    const chunk = { id: crypto.randomUUID(), time: first.time, chunks: 1, bytes: 4, index: 0 };
    const sealed = Buffer.alloc(4 + 28); // its 4 bytes, sealed
    await expect(link.snapshots.put(chunk, sealed)).rejects.toThrow(/already holds a snapshot as recent/);
    const s = readSyncState(a.db);
    const pin = { pem: s.certificate!, fingerprint: s.fingerprint! };
    const post = (query: string, body: unknown) =>
      postPinned(relay.url, pin, `/v1/snapshot/put?${query}`, body, s.deviceToken);
    const refusals = [
      post(snapshotQuery({ ...chunk, time: second!.time.replace(/Z-/, 'Z+'), index: 0 }), sealed), // not a time
      post(snapshotQuery({ ...chunk, index: 3 }), sealed), // beyond its count
      post(snapshotQuery(chunk), Buffer.alloc(10)), // too short to be sealed
      post(`${snapshotQuery(chunk)}&extra=1`, sealed), // a field it does not know
    ];
    for (const refused of refusals) {
      await expect(refused).rejects.toThrow(RelayRefusedError);
      await expect(refused).rejects.toMatchObject({
        status: 400,
        message: 'The relay could not read that snapshot upload.',
      });
    }
    await expect(link.snapshots.chunk({ id: chunk.id, index: 0 })).rejects.toThrow(
      /no longer holds that snapshot/,
    );
  });
});

describe('snapshot-based first sync: what must never happen', () => {
  it('every connection to clinic data keeps temporary data in memory, never in a plain-text file', () => {
    const r = openTestClinic();
    cleanup.push(() => r.close());
    const key = databaseKey(r.db);
    expect(key).not.toBeNull();
    // 2 = MEMORY (the library's default, SQLITE_TEMP_STORE=1, would be 0: temporary files).
    const connections = [
      r.db,
      openDatabase(r.dir, key),
      openFileReader(r.db.name, key),
      openMoreConnection(r.db.name, key),
    ];
    for (const db of connections.slice(1)) cleanup.push(() => db.close());
    for (const db of connections) expect(db.pragma('temp_store', { simple: true })).toBe(2);
  });

  it('a room whose first round sent its room row and then failed still gets in step from the snapshot', async () => {
    const { relay, key, a } = await clinicAtRelay();
    const b = await pairedRoom(relay, key, 'Room 2');
    // Room 2's first round got as far as sending what pairing logged (its room row), then failed.
    const zero = Timestamp.zero.toString();
    await pairedLink(b.db).exchange({
      since: zero,
      messages: seal(key, messagesSince(b.db, zero)),
      limit: 0,
      schemaVersion: LATEST_VERSION,
    });
    expect(isEmptyRoom(b.db)).toBe(true);
    // Room 1 receives it and publishes a snapshot that holds it.
    for (let i = 0; i < 120; i++) a.services.settings.update({ clinicName: `Clinic ${i}` });
    await sync(a, key);
    const published = await maybePublishSnapshot(
      a.db,
      key,
      pairedLink(a.db).snapshots,
      100,
      new Date(Date.now() + SNAPSHOT_EVERY_MS),
    );
    expect(published).not.toBeNull();
    const round = await sync(b, key);
    expect(round.snapshot.loaded).not.toBeNull();
    const rebuilt: TrieNode = {};
    for (const t of b.db.prepare(`SELECT timestamp FROM messages`).pluck().all() as string[])
      addToTrie(rebuilt, parseTimestamp(t));
    expect(merkleHash(b.db)).toBe(rebuilt.hash);
    await sync(a, key);
    expectInStep(b, a);
  });

  it('a snapshot that fails to load (any reason) is refused for good and reported; the round replays', async () => {
    const { relay, key, a } = await clinicAtRelay();
    const { snapshot } = await pairedLink(a.db).snapshots.latest();
    // Room 2's file refuses a client row that arrives without its message (a snapshot load copies
    // rows before the log; a replay logs first): a stand-in for a constraint, a full disk, a crash.
    const b = await pairedRoom(relay, key, 'Room 2', (r) =>
      r.db.exec(`CREATE TRIGGER forced_failure BEFORE INSERT ON clients
                 WHEN NOT EXISTS (SELECT 1 FROM messages WHERE dataset = 'clients' AND row_id = NEW.id)
                 BEGIN SELECT RAISE(ABORT, 'forced load failure'); END`),
    );
    const round = await sync(b, key);
    expect(round.snapshot.loaded).toBeNull();
    expect(round.snapshot.refused).toMatch(/could not be loaded here \(forced load failure\)/);
    expect(readSyncState(b.db).snapshotRefusedId).toBe(snapshot!.id);
    expect(round.received).toBeGreaterThan(200);
    await sync(a, key);
    expectInStep(b, a);
    // An empty room that refused this snapshot before never fetches it again.
    const c = await pairedRoom(relay, key, 'Room 3', (r) =>
      r.db.prepare(`INSERT INTO sync_state (key, value) VALUES ('snapshotRefusedId', ?)`).run(snapshot!.id),
    );
    const link = pairedLink(c.db);
    let fetched = 0;
    const counting = {
      ...link,
      snapshots: {
        ...link.snapshots,
        chunk: (req: { id: string; index: number }) => (fetched++, link.snapshots.chunk(req)),
      },
    };
    const again = await syncRound(c.db, key, counting, { snapshotAfterMessages: 100 });
    expect(again.snapshot.refused).toMatch(/failed to load here before/);
    expect(fetched).toBe(0);
    await sync(a, key);
    expect(recordTables(c.db)).toEqual(recordTables(a.db));
  });

  it('a snapshot that fails to publish after the round is reported; the round itself succeeds', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const a = await pairedRoom(relay, key, 'Room 1');
    await clinicIn(a);
    const link = pairedLink(a.db);
    const failing = {
      ...link,
      snapshots: { ...link.snapshots, latest: () => Promise.reject(new Error('disk full')) },
    };
    const round = await syncRound(a.db, key, failing, { snapshotAfterMessages: 100 });
    expect(round.snapshot).toMatchObject({ published: null, publishFailed: 'disk full' });
    expect(round.sent).toBeGreaterThan(200);
    expect(readSyncState(a.db).lastSynced).toBeTruthy();
  });

  it("a relay's snapshot description that is not one (an id that is a path) is refused; nothing outside the data folder is touched", async () => {
    const { relay, key, a } = await clinicAtRelay();
    const { snapshot } = await pairedLink(a.db).snapshots.latest();
    // Where the scratch file would go, were the ids taken as they come: beside and above the folder.
    const victim = `victim-${crypto.randomUUID()}`;
    const lies = [
      { id: '../../x' },
      { id: `/../../${victim}` },
      { chunks: 2 }, // more chunks than its size needs
      { bytes: 0 },
    ];
    let fetched = 0;
    for (const [n, lie] of lies.entries()) {
      const b = await pairedRoom(relay, key, `Room ${n + 2}`);
      const target = path.join(b.dir, `sync-snapshot-${lie.id ?? snapshot!.id}.tmp`);
      if (n === 1) expect(path.dirname(target)).toBe(path.dirname(b.dir));
      fs.writeFileSync(target, 'not the room’s to touch');
      cleanup.push(() => fs.rmSync(target, { force: true }));
      const link = pairedLink(b.db);
      const lying = {
        ...link,
        snapshots: {
          ...link.snapshots,
          latest: () => Promise.resolve({ snapshot: { ...snapshot!, ...lie } }),
          chunk: (req: { id: string; index: number }) => (fetched++, link.snapshots.chunk(req)),
        },
      };
      const round = await syncRound(b.db, key, lying, { snapshotAfterMessages: Infinity });
      expect(round.snapshot.loaded).toBeNull();
      expect(round.snapshot.refused).toMatch(/cannot be used here \(the relay described it wrongly\)/);
      expect(fs.readFileSync(target, 'utf8')).toBe('not the room’s to touch');
    }
    expect(fetched).toBe(0);
    // Answers larger than a chunk (or a description) are refused unread.
    const s = readSyncState(a.db);
    const pin = { pem: s.certificate!, fingerprint: s.fingerprint! };
    await expect(postPinned(relay.url, pin, '/v1/snapshot/latest', {}, s.deviceToken, 16)).rejects.toThrow(
      /larger than this room accepts/,
    );
  });

  it('the relay cannot be filled: one upload under way per device, abandoned ones purged, exact chunk sizes, a total cap', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const a = await pairedRoom(relay, key, 'Room 1');
    const b = await pairedRoom(relay, key, 'Room 2');
    const deviceOf = (r: TestClinic) => readSyncState(r.db).deviceId!;
    const put = (r: TestClinic, c: Parameters<typeof snapshotQuery>[0], sealed: Buffer) => {
      const s = readSyncState(r.db);
      const pin = { pem: s.certificate!, fingerprint: s.fingerprint! };
      return postPinned(relay.url, pin, `/v1/snapshot/put?${snapshotQuery(c)}`, sealed, s.deviceToken);
    };
    const CHUNK = 8 * 1024 * 1024;
    const time = (n: number) => `2026-01-0${n}T10:00:00.000Z-0000-0123456789abcdef`;
    const upload = (n: number, bytes: number) => ({
      id: crypto.randomUUID(),
      time: time(n),
      chunks: Math.ceil(bytes / CHUNK),
      bytes,
    });
    const held = () => relay.db.prepare(`SELECT id FROM snapshots ORDER BY id`).pluck().all() as string[];

    // Room 1 starts an upload (2 chunks, 1 sent), then starts another: its first is dropped.
    const first = upload(1, CHUNK + 4);
    await put(a, { ...first, index: 0 }, Buffer.alloc(CHUNK + 28));
    const second = upload(2, CHUNK + 4);
    await put(a, { ...second, index: 0 }, Buffer.alloc(CHUNK + 28));
    expect(held()).toEqual([second.id]);
    expect(relay.db.prepare(`SELECT count(*) FROM snapshot_chunks`).pluck().get()).toBe(1);
    // Another device's upload abandoned two days ago goes at the next announcement, by anyone.
    relay.db
      .prepare(`UPDATE snapshots SET created_at = ?, device_id = 'gone' WHERE id = ?`)
      .run(new Date(Date.now() - 48 * 3_600_000).toISOString(), second.id);
    const third = upload(3, 4);
    expect(await put(b, { ...third, index: 0 }, Buffer.alloc(4 + 28))).toEqual({ complete: true });
    expect(held()).toEqual([third.id]);
    expect(relay.db.prepare(`SELECT count(*) FROM snapshot_chunks`).pluck().get()).toBe(1);

    // Every chunk but the last is exactly a sealed full chunk; the last is the rest, sealed.
    const fourth = upload(4, CHUNK + 4);
    const wrongSizes = [
      () => put(a, { ...fourth, index: 0 }, Buffer.alloc(CHUNK + 27)),
      () => put(a, { ...fourth, index: 0 }, Buffer.alloc(40)),
      () => put(a, { ...fourth, index: 1 }, Buffer.alloc(4 + 29)),
      () => put(a, { ...upload(4, 4), index: 0 }, Buffer.alloc(4 + 27)),
      () => put(a, { ...fourth, chunks: 3, index: 0 }, Buffer.alloc(CHUNK + 28)), // more chunks than its size
    ];
    for (const refused of wrongSizes)
      await expect(refused()).rejects.toMatchObject({
        status: 400,
        message: 'The relay could not read that snapshot upload.',
      });
    expect(held()).toEqual([third.id]);

    // All it holds, declared sizes of uploads under way included, stays under its cap.
    relay.db
      .prepare(`UPDATE snapshots SET bytes = ? WHERE id = ?`)
      .run(MAX_SNAPSHOT_STORAGE_BYTES - 3, third.id);
    await expect(put(a, { ...upload(5, 4), index: 0 }, Buffer.alloc(4 + 28))).rejects.toMatchObject({
      status: 507,
      message: expect.stringMatching(/no room for another clinic snapshot/),
    });
    expect(deviceOf(a)).not.toBe(deviceOf(b));
    expect(held()).toEqual([third.id]);
  });
});
