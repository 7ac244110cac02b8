import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SYNCED_TABLES, LOCAL_TABLES } from '../../db/sync/datasets.js';
import { applyMessages, messagesSince } from '../../db/sync/messages.js';
import { MAX_DRIFT_MS, nodeOf } from '../../db/sync/clock.js';
import { AppError } from '../../electron/services/errors.js';
import { seedCourse } from '../support/clinic.js';
import { plainJpeg } from '../support/images.js';
import { signConsent } from '../support/signatures.js';
import type { DrawnSignature } from '../../contract/signing.js';
import { photoStore, type PhotoFileRef } from '../../electron/services/photoStore.js';
import { TEST_PIN } from '../support/signIn.js';
import {
  merkleHash,
  openRooms,
  recordTables,
  testClinicKey,
  testRelay,
  type Room,
  type TestRelay,
} from '../support/sync.js';

const opened: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  opened.splice(0).forEach((x) => x.close());
});

function clinicOf(names: string[]) {
  const relay = testRelay();
  const key = testClinicKey();
  const rooms = openRooms(names, relay, key);
  opened.push(relay, ...rooms);
  return { relay, rooms, key };
}

/**
 * Room `first` makes the clinic (practitioner, client, course, with its consent signed unless
 * `consent: false`); every room syncs and acts as her.
 */
async function sharedClinic(rooms: Room[], course: Parameters<typeof seedCourse>[1] = {}) {
  const seeded = seedCourse(rooms[0]!, course);
  for (const r of rooms) await r.sync();
  for (const r of rooms) r.services.actAs(seeded.practitioner.id);
  return seeded;
}

const session = (courseId: string, practitionerId: string, performedAt: string, depthMm = 0.5) => ({
  courseId,
  practitionerId,
  performedAt,
  zones: [{ zone: 'upper_lip' as const, depthMm }],
});

async function syncAll(rooms: Room[], relay: TestRelay) {
  // Two full turns: the last room's changes reach the first in the second turn.
  for (let turn = 0; turn < 2; turn++) for (const r of rooms) await r.sync();
  return relay;
}

describe('change messages', () => {
  it('a write records one message per changed field, in its own transaction', () => {
    const { rooms } = clinicOf(['A']);
    const room = rooms[0]!;
    const { client } = seedCourse(room);
    const before = messagesSince(room.db, '').length;
    room.clock.advanceMinutes(1);
    room.services.clients.update({ id: client.id, patch: { phone: '+44 20 7946 0000' } });
    const added = messagesSince(room.db, '').slice(before);
    const ofClient = added.filter((m) => m.dataset === 'clients');
    expect(ofClient.map((m) => m.col).sort()).toEqual(['phone', 'updated_at']);
    expect(ofClient.find((m) => m.col === 'phone')!.value).toBe(JSON.stringify('+44 20 7946 0000'));
    // The audit row travels too, naming this room as its origin.
    const audit = added.filter((m) => m.dataset === 'audit_log');
    expect(audit.find((m) => m.col === 'origin')!.value).toBe(JSON.stringify(nodeOf(room.db)));
    // A refused write leaves no message behind.
    const n = messagesSince(room.db, '').length;
    expect(() => room.services.clients.update({ id: client.id, patch: { firstName: ' ' } })).toThrow(
      AppError,
    );
    expect(messagesSince(room.db, '').length).toBe(n);
  });

  it('an edit of a session logged before per-zone passes (0014) does not log its zones again', () => {
    const { rooms } = clinicOf(['A']);
    const room = rooms[0]!;
    const { practitioner, course } = seedCourse(room);
    const saved = room.services.sessions.create(session(course.id, practitioner.id, '2026-03-02T10:00:00Z'));
    // The zones as a room logged them before the passes column existed: no "passes" key at all.
    const zonesOf = () =>
      room.db
        .prepare(
          `SELECT timestamp, value FROM messages WHERE dataset = 'sessions' AND row_id = ? AND col = 'zones'`,
        )
        .all(saved.value.id) as { timestamp: string; value: string }[];
    const [logged] = zonesOf();
    const before = (JSON.parse(logged!.value) as Record<string, unknown>[]).map(({ passes: _p, ...z }) => z);
    room.db
      .prepare(`UPDATE messages SET value = ? WHERE timestamp = ?`)
      .run(JSON.stringify(before), logged!.timestamp);
    room.clock.advanceMinutes(1);
    room.services.sessions.update({ id: saved.value.id, patch: { notes: 'A note, nothing else' } });
    // Only the note (and its updated_at) is logged: the zones' old message still stands, so another
    // room's later correction of a depth is not overwritten by this room's unchanged zones.
    expect(zonesOf()).toHaveLength(1);
  });

  it('every table shaped like a clinical record either travels or is declared local', () => {
    const { rooms } = clinicOf(['A']);
    const tables = rooms[0]!.db
      .prepare(
        `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'updated_at')`,
      )
      .all() as { name: string }[];
    const known = new Set<string>([...SYNCED_TABLES, ...LOCAL_TABLES, 'session_drafts']);
    expect(tables.map((t) => t.name).filter((t) => !known.has(t))).toEqual([]);
  });
});

describe('sync between rooms through a relay', () => {
  it('the newest change of a field wins; History keeps both values and where each came from', async () => {
    const { relay, rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { client } = await sharedClinic(rooms);
    a.services.clients.update({ id: client.id, patch: { phone: '111', notes: 'from A' } });
    await new Promise((r) => setTimeout(r, 5)); // B's edit is the later one
    b.services.clients.update({ id: client.id, patch: { phone: '222' } });
    await syncAll(rooms, relay);
    for (const r of rooms) {
      const c = r.services.clients.get({ id: client.id });
      expect(c.phone).toBe('222');
      // Different fields changed in two rooms both survive.
      expect(c.notes).toBe('from A');
    }
    const history = b.services.audit.list({ entity: 'client', entityId: client.id });
    const phones = history
      .filter((h) => h.action === 'update')
      .map((h) => (h.after as { phone: string }).phone);
    expect(phones.sort()).toEqual(['111', '222']);
    // …each named by the room it was made in.
    expect(
      history
        .filter((h) => h.action === 'update')
        .map((h) => [(h.after as { phone: string }).phone, h.origin]),
    ).toEqual(
      expect.arrayContaining([
        ['111', 'A'],
        ['222', 'B'],
      ]),
    );
    const origins = b.db
      .prepare(
        `SELECT DISTINCT origin FROM audit_log WHERE entity = 'client' AND entity_id = ? AND action = 'update'`,
      )
      .all(client.id) as { origin: string }[];
    expect(origins.map((o) => o.origin).sort()).toEqual([nodeOf(a.db), nodeOf(b.db)].sort());
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
  });

  it('deletes and restores merge; session numbers and sort names are recomputed where rows land', async () => {
    const { relay, rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { practitioner, course, client } = await sharedClinic(rooms);
    const s1 = a.services.sessions.create(
      session(course.id, practitioner.id, '2026-03-02T10:00:00.000Z'),
    ).value;
    const s2 = b.services.sessions.create(
      session(course.id, practitioner.id, '2026-03-30T10:00:00.000Z'),
    ).value;
    b.services.clients.update({ id: client.id, patch: { lastName: 'Ávila' } });
    await syncAll(rooms, relay);
    expect(a.services.sessions.get({ id: s2.id }).number).toBe(2);
    a.services.sessions.delete({ id: s1.id });
    await syncAll(rooms, relay);
    expect(b.services.sessions.get({ id: s2.id }).number).toBe(1);
    expect(() => b.services.sessions.get({ id: s1.id })).toThrow(AppError);
    b.services.sessions.restore({ id: s1.id });
    await syncAll(rooms, relay);
    expect(a.services.sessions.get({ id: s2.id }).number).toBe(2);
    // The client list's order and name search work in the room that did not make the change.
    const found = a.services.clients.list({ query: 'avila' });
    expect(found.items.map((c) => c.id)).toEqual([client.id]);
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
  });

  it('a row whose parent has not arrived waits, then lands', () => {
    const { rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { practitioner, course } = seedCourse(a);
    a.services.sessions.create(session(course.id, practitioner.id, '2026-03-02T10:00:00.000Z'));
    const all = messagesSince(a.db, '');
    const parents = all.filter((m) => m.dataset !== 'sessions');
    const sessions = all.filter((m) => m.dataset === 'sessions');
    expect(applyMessages(b.db, sessions).pending).toBe(1);
    expect(b.db.prepare(`SELECT count(*) AS n FROM sessions`).get()).toEqual({ n: 0 });
    const report = applyMessages(b.db, parents);
    expect(report.pending).toBe(0);
    expect(b.services.sessions.list({ courseId: course.id })).toHaveLength(1);
    applyMessages(a.db, messagesSince(b.db, '')); // B's own room record, for the tables to compare
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
  });

  it('refuses changes dated beyond the clock drift limit, with a clear sentence, merging nothing', async () => {
    const { relay, rooms } = clinicOf(['A', 'C']);
    const [a, c] = rooms as [Room, Room];
    const { client } = await sharedClinic(rooms);
    const real = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => real() + MAX_DRIFT_MS + 10 * 60_000);
    c.services.clients.update({
      id: client.id,
      patch: { notes: 'from a room whose clock is 15 minutes fast' },
    });
    await c.sync();
    spy.mockRestore();
    const before = recordTables(a.db);
    await expect(a.sync()).rejects.toThrow(/dated 15 minutes ahead of this computer's clock/);
    expect(recordTables(a.db)).toEqual(before);
    expect(a.services.clients.get({ id: client.id }).notes).toBe('');
    void relay;
  });

  it('refuses a tampered envelope and merges nothing', async () => {
    const { relay, rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { client } = await sharedClinic(rooms);
    b.services.clients.update({ id: client.id, patch: { notes: 'genuine' } });
    await b.sync();
    const row = relay.db.prepare(`SELECT id, sealed FROM envelopes ORDER BY last_ts DESC LIMIT 1`).get() as {
      id: number;
      sealed: string;
    };
    const bytes = Buffer.from(row.sealed, 'base64');
    bytes[14] = bytes[14]! ^ 1;
    relay.db.prepare(`UPDATE envelopes SET sealed = ? WHERE id = ?`).run(bytes.toString('base64'), row.id);
    const before = recordTables(a.db);
    await expect(a.sync()).rejects.toThrow(/failed their integrity check/);
    expect(recordTables(a.db)).toEqual(before);
  });

  it('a room offline for a week with 500 new sessions and 50 photos catches up, the photos intact', async () => {
    const { relay, rooms, key } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { practitioner, course } = await sharedClinic(rooms);
    const withPhotos: string[] = [];
    for (let i = 0; i < 500; i++) {
      const at = new Date(Date.parse('2026-03-02T08:00:00Z') + i * 3_600_000).toISOString();
      const s = b.services.sessions.create({
        ...session(course.id, practitioner.id, at, 0.25 + (i % 10) * 0.05),
        ...(i % 10 === 0 ? { photoConsent: 'record' as const } : {}),
      }).value;
      if (i % 10 === 0) withPhotos.push(s.id);
    }
    for (const [i, sessionId] of withPhotos.entries()) {
      await b.services.photos.import({
        sessionId,
        kind: 'after',
        view: 'frontal',
        data: await plainJpeg(160, 120, i + 1),
      });
    }
    a.services.courses.update({ id: course.id, patch: { notes: 'edited while B was away' } });
    const rounds = [];
    for (const r of [a, b, a]) rounds.push(await r.syncFull());
    expect(rounds[1]!.files.sent).toBe(50);
    expect(rounds[2]!.files).toMatchObject({ received: 50, waiting: 0, refused: 0 });
    expect(a.services.sessions.list({ courseId: course.id })).toHaveLength(500);
    expect(b.services.courses.get({ id: course.id }).notes).toBe('edited while B was away');
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
    expect(merkleHash(a.db)).toBe(merkleHash(b.db));
    // Every photo opens in room A, byte for byte the one room B stored; no plain JPEG reached the relay.
    const refs = a.db
      .prepare(`SELECT file_id AS fileId, file_key AS fileKey FROM photos`)
      .all() as PhotoFileRef[];
    expect(refs).toHaveLength(50);
    for (const ref of refs) {
      for (const variant of ['full', 'thumb'] as const) {
        const there = await photoStore(a.dir).read(ref, variant);
        expect(there.equals(await photoStore(b.dir).read(ref, variant))).toBe(true);
        expect([...there.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      }
    }
    const relayed = relay.db.prepare(`SELECT sealed FROM files`).pluck().all() as Buffer[];
    expect(relayed).toHaveLength(150);
    expect(relayed.every((f) => f.subarray(0, 4).toString('latin1') === 'NLP1')).toBe(true);
    // A copy damaged at the relay is refused where it lands, and mended by the room that holds it.
    const c = openRooms(['C'], relay, key)[0]!;
    opened.push(c);
    relay.db
      .prepare(`UPDATE files SET sealed = ? WHERE file_id = ? AND variant = 'thumb'`)
      .run(Buffer.concat([Buffer.from('NLP1'), Buffer.alloc(40)]), refs[0]!.fileId);
    const first = await c.syncFull();
    expect(first.files).toMatchObject({ received: 49, refused: 1 });
    await b.syncFull(); // B holds the file: it sends it again
    const second = await c.syncFull();
    expect(second.files).toMatchObject({ received: 1, refused: 0 });
    expect(
      (await photoStore(c.dir).read(refs[0]!, 'thumb')).equals(
        await photoStore(b.dir).read(refs[0]!, 'thumb'),
      ),
    ).toBe(true);
  });
});

type Action =
  | { kind: 'client'; room: number }
  | { kind: 'edit'; room: number; pick: number; value: string }
  | { kind: 'session'; room: number; pick: number; depth: number }
  | { kind: 'editSession'; room: number; pick: number; depth: number }
  | { kind: 'delete'; room: number; pick: number; what: 'client' | 'session' }
  | { kind: 'restore'; room: number; pick: number; what: 'client' | 'session' }
  | { kind: 'sync'; room: number }
  | { kind: 'restartRelay' };

const room = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(50);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('client' as const), room }),
  fc.record({ kind: fc.constant('edit' as const), room, pick, value: fc.string({ maxLength: 12 }) }),
  fc.record({ kind: fc.constant('session' as const), room, pick, depth: fc.integer({ min: 1, max: 30 }) }),
  fc.record({
    kind: fc.constant('editSession' as const),
    room,
    pick,
    depth: fc.integer({ min: 1, max: 30 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    room,
    pick,
    what: fc.constantFrom('client' as const, 'session' as const),
  }),
  fc.record({
    kind: fc.constant('restore' as const),
    room,
    pick,
    what: fc.constantFrom('client' as const, 'session' as const),
  }),
  fc.record({ kind: fc.constant('sync' as const), room }),
  fc.constant({ kind: 'restartRelay' as const }),
);

describe('signed records', () => {
  it('signatures, addenda and signed consent travel as inserts; the signed record beats an older edit', async () => {
    const { relay, rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    // The course has no consent yet: the early session is logged with the reason, consent is signed after.
    const { practitioner, course } = await sharedClinic(rooms, { consent: false });
    const early = a.services.sessions.create({
      ...session(course.id, practitioner.id, '2026-03-02T10:00:00.000Z'),
      consentOverrideReason: 'Consent signed on paper; the form is in the paper file',
    }).value;
    signConsent(a.services, course.id);
    const signedOne = a.services.sessions.create({
      ...session(course.id, practitioner.id, '2026-03-30T10:00:00.000Z'),
      zones: [
        { zone: 'upper_lip', depthMm: 0.5 },
        { zone: 'lower_lip', depthMm: 0.75 },
      ],
      notes: 'as performed',
    }).value;
    await syncAll(rooms, relay);
    // Room B, offline, edits the session; afterwards (by the clocks) room A signs it as it was.
    b.services.sessions.update({ id: signedOne.id, patch: { notes: 'edited in B, never seen by A' } });
    await new Promise((r) => setTimeout(r, 5));
    await a.services.signing.sign({ sessionId: signedOne.id, pin: TEST_PIN });
    await syncAll(rooms, relay);
    for (const r of rooms) {
      const s = r.services.sessions.get({ id: signedOne.id });
      expect(s.notes).toBe('as performed');
      expect(s.zones).toEqual([
        { zone: 'upper_lip', depthMm: 0.5 },
        { zone: 'lower_lip', depthMm: 0.75 },
      ]);
      const state = r.services.signing.get({ id: signedOne.id });
      expect(state.signatures.map((x) => x.role)).toEqual(['author']);
      expect(
        JSON.parse(r.db.prepare(`SELECT record_json FROM session_signatures`).pluck().get() as string),
      ).toMatchObject({ notes: 'as performed' });
      expect(r.services.signing.get({ id: early.id }).consentOverride?.reason).toMatch(/paper file/);
      expect(
        (r.services.consents.ofCourse({ courseId: course.id })[0]!.clientSignature as DrawnSignature).strokes,
      ).toHaveLength(3);
      // History keeps B's edit and where it came from, though the signed record won.
      const edits = r.services.audit
        .list({ entity: 'session', entityId: signedOne.id })
        .filter((h) => h.action === 'update');
      expect(edits.map((h) => (h.after as { notes: string }).notes)).toContain(
        'edited in B, never seen by A',
      );
    }
    // A correction after signing is an addendum, and reaches every room with it.
    a.services.sessions.amend({
      sessionId: signedOne.id,
      reason: 'Pain was not recorded',
      patch: { pain: 3 },
    });
    await syncAll(rooms, relay);
    for (const r of rooms) {
      expect(r.services.sessions.get({ id: signedOne.id }).pain).toBe(3);
      expect(r.services.signing.get({ id: signedOne.id }).addenda.map((x) => x.reason)).toEqual([
        'Pain was not recorded',
      ]);
    }
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
    expect(merkleHash(a.db)).toBe(merkleHash(b.db));
  });

  it('a remote message that would rewrite a signed record is refused and counted; the round goes on', async () => {
    const { relay, rooms } = clinicOf(['A', 'B']);
    const [a, b] = rooms as [Room, Room];
    const { practitioner, course, client } = await sharedClinic(rooms, { consent: false });
    const s = a.services.sessions.create({
      ...session(course.id, practitioner.id, '2026-03-02T10:00:00.000Z'),
      consentOverrideReason: 'Consent on paper',
    }).value;
    await a.services.signing.sign({ sessionId: s.id, pin: TEST_PIN });
    await syncAll(rooms, relay);
    const signatureId = a.db.prepare(`SELECT id FROM session_signatures`).pluck().get() as string;
    const before = recordTables(b.db);
    const { Timestamp } = await import('@actual-app/crdt');
    const forged = {
      timestamp: new Timestamp(Date.now(), 0, '0123456789ABCDEF').toString(),
      dataset: 'session_signatures',
      rowId: signatureId,
      col: 'record_sha256',
      value: JSON.stringify('0'.repeat(64)),
    };
    const report = applyMessages(b.db, [forged]);
    expect(report).toMatchObject({ added: 1, refused: 1, pending: 0 });
    expect(recordTables(b.db)).toEqual(before);
    // Sync keeps working around it: a later ordinary edit still travels.
    a.services.clients.update({ id: client.id, patch: { notes: 'after the forged message' } });
    await syncAll(rooms, relay);
    expect(b.services.clients.get({ id: client.id }).notes).toBe('after the forged message');
  });
});

describe('convergence (property)', () => {
  it('three rooms editing, deleting and restoring in random interleavings end identical', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), async (actions) => {
        const { relay, rooms } = clinicOf(['A', 'B', 'C']);
        const { practitioner, course } = await sharedClinic(rooms);
        const ids = (r: Room, table: string) =>
          (r.db.prepare(`SELECT id FROM ${table} ORDER BY id`).all() as { id: string }[]).map((x) => x.id);
        const choose = (r: Room, table: string, n: number) => {
          const list = ids(r, table);
          return list.length ? list[n % list.length]! : null;
        };
        let hour = 0;
        for (const act of actions) {
          if (act.kind === 'restartRelay') {
            relay.restart();
            continue;
          }
          const r = rooms[act.room]!;
          r.clock.advanceMinutes(7);
          try {
            switch (act.kind) {
              case 'client':
                r.services.clients.create({ firstName: `Client ${r.name}`, lastName: String(hour++) });
                break;
              case 'edit': {
                const id = choose(r, 'clients', act.pick);
                if (id)
                  r.services.clients.update({
                    id,
                    patch: { notes: act.value, phone: act.value.slice(0, 5) },
                  });
                break;
              }
              case 'session': {
                const at = new Date(Date.parse('2026-03-02T08:00:00Z') + (act.pick + hour++) * 3_600_000);
                r.services.sessions.create(
                  session(course.id, practitioner.id, at.toISOString(), act.depth / 10),
                );
                break;
              }
              case 'editSession': {
                const id = choose(r, 'sessions', act.pick);
                if (id)
                  r.services.sessions.update({
                    id,
                    patch: {
                      pain: act.depth % 10,
                      zones: [{ zone: 'upper_lip', depthMm: act.depth / 10 }],
                    },
                    adverseEvents: [],
                  });
                break;
              }
              case 'delete':
              case 'restore': {
                const svc = act.what === 'client' ? r.services.clients : r.services.sessions;
                const id = choose(r, act.what === 'client' ? 'clients' : 'sessions', act.pick);
                if (id) (act.kind === 'delete' ? svc.delete : svc.restore)({ id });
                break;
              }
              case 'sync':
                await r.sync();
                break;
            }
          } catch (err) {
            // A record deleted in this room cannot be edited here: that refusal is correct behaviour.
            if (!(err instanceof AppError)) throw err;
          }
        }
        await syncAll(rooms, relay);
        const [a, b, c] = rooms.map((r) => recordTables(r.db));
        expect(b).toEqual(a);
        expect(c).toEqual(a);
        const hashes = rooms.map((r) => merkleHash(r.db));
        expect(new Set(hashes).size).toBe(1);
        expect(hashes[0]).toBe(
          (relay.db.prepare(`SELECT trie FROM relay_merkle`).get() as { trie: string }).trie &&
            JSON.parse((relay.db.prepare(`SELECT trie FROM relay_merkle`).get() as { trie: string }).trie)
              .hash,
        );
        opened.splice(0).forEach((x) => x.close());
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});

describe('the Merkle trie', () => {
  it('adds timestamps exactly as the package’s merkle.insert does', async () => {
    const { merkle, Timestamp } = await import('@actual-app/crdt');
    const { addToTrie } = await import('../../db/sync/clock.js');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 0xffff })), {
          maxLength: 60,
        }),
        (stamps) => {
          let theirs = {};
          const ours = {};
          for (const [ms, counter] of stamps) {
            const ts = new Timestamp(ms, counter, '0123456789ABCDEF');
            theirs = merkle.insert(theirs, ts);
            addToTrie(ours, ts);
          }
          expect(ours).toEqual(theirs);
        },
      ),
    );
  });
});
