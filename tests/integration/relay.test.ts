import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase } from '../../db/connection.js';
import { pairRoom, pairedLink, RelayRefusedError } from '../../electron/services/sync/client.js';
import { newPairingCode, startRelay, type RunningRelay } from '../../electron/services/sync/relayServer.js';
import { revokeDevice } from '../../db/relay.js';
import { nodeOf } from '../../db/sync/clock.js';
import { syncRound } from '../../electron/services/sync/round.js';
import { syncKey } from '../../electron/services/sync/key.js';
import { readSyncState } from '../../db/sync/state.js';
import { LATEST_VERSION } from '../../db/migrate.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { needlelog } from '../support/cli.js';
import { merkleHash, recordTables, testClinicKey } from '../support/sync.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function relayIn(dir = tempDir('needlelog-relay-')): Promise<RunningRelay> {
  const relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port: 0 });
  cleanup.push(() => relay.close());
  return relay;
}

function room(): TestClinic {
  const r = openTestClinic();
  cleanup.push(() => r.close());
  return r;
}

const sync = async (r: TestClinic, key: Buffer) => syncRound(r.db, key, pairedLink(r.db));

describe('relay over TLS', () => {
  it('pairs rooms with one-time codes, pins the certificate, and syncs sealed changes', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const [a, b] = [room(), room()];
    const { client } = seedCourse(a);
    const paired = await pairRoom(a.db, key, {
      relayUrl: relay.url,
      code: newPairingCode(relay.db),
      name: 'Room 1',
    });
    expect(paired.fingerprint).toBe(relay.fingerprint);
    await pairRoom(b.db, key, {
      relayUrl: relay.url,
      code: newPairingCode(relay.db),
      name: 'Room 2',
      fingerprint: relay.fingerprint,
    });
    await sync(a, key);
    await sync(b, key);
    expect(b.services.clients.get({ id: client.id }).firstName).toBe('Zoë');
    // The relay holds no record in the clear.
    const sealed = (relay.db.prepare(`SELECT sealed FROM envelopes`).all() as { sealed: string }[])
      .map((e) => Buffer.from(e.sealed, 'base64').toString('latin1'))
      .join('');
    expect(sealed).not.toContain('Okafor');
    expect(fs.readFileSync(path.join(relay.db.name)).toString('latin1')).not.toContain('Okafor');
    await sync(a, key); // Room 2's own record (its name, for History) reaches Room 1
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
    expect(a.db.prepare(`SELECT name FROM sync_rooms ORDER BY name`).pluck().all()).toEqual([
      'Room 1',
      'Room 2',
    ]);
  });

  it('refuses a used or wrong code, another clinic key, and a certificate other than the pinned one', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const [a, b, c] = [room(), room(), room()];
    const code = newPairingCode(relay.db);
    await pairRoom(a.db, key, { relayUrl: relay.url, code, name: 'Room 1' });
    await expect(pairRoom(b.db, key, { relayUrl: relay.url, code, name: 'Room 2' })).rejects.toThrow(
      /pairing code is wrong, used or expired/,
    );
    await expect(
      pairRoom(b.db, testClinicKey(), {
        relayUrl: relay.url,
        code: newPairingCode(relay.db),
        name: 'Room 2',
      }),
    ).rejects.toThrow(/clinic key is not the one the other rooms use/);
    await expect(
      pairRoom(c.db, key, {
        relayUrl: relay.url,
        code: newPairingCode(relay.db),
        name: 'Room 3',
        fingerprint: 'AA:BB',
      }),
    ).rejects.toThrow(/nothing was sent to it/);
    // A relay with another certificate at the paired address is refused before anything is sent.
    const url = relay.url;
    await relay.close();
    cleanup.pop();
    const impostor = await startRelay({
      dataDir: tempDir('needlelog-relay-'),
      host: '127.0.0.1',
      port: Number(new URL(url).port),
    });
    cleanup.push(() => impostor.close());
    await expect(sync(a, key)).rejects.toThrow(/certificate other than the one this room paired with/);
  });

  it('a revoked device is refused at once', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const [a, b] = [room(), room()];
    const { client } = seedCourse(a);
    const pa = await pairRoom(a.db, key, {
      relayUrl: relay.url,
      code: newPairingCode(relay.db),
      name: 'Room 1',
    });
    await pairRoom(b.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 2' });
    await sync(a, key);
    expect(revokeDevice(relay.db, pa.deviceId, new Date().toISOString())).not.toBeNull();
    a.services.clients.update({ id: client.id, patch: { notes: 'after revocation' } });
    const err = await sync(a, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayRefusedError);
    expect((err as Error).message).toMatch(/revoked by the clinic manager/);
    await sync(b, key);
    expect(b.services.clients.get({ id: client.id }).notes).toBe('');
  });

  it('a room on an older NeedleLog than one that synced already is refused, sending nothing', async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const [a, b] = [room(), room()];
    const { client } = seedCourse(a);
    await pairRoom(a.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 1' });
    await pairRoom(b.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 2' });
    await sync(a, key);
    await sync(b, key);
    // A third room on the next NeedleLog (one migration more) has synced: these two are now older.
    relay.db
      .prepare(`UPDATE relay_meta SET value = ? WHERE key = 'schema_version'`)
      .run(String(LATEST_VERSION + 1));
    const envelopes = () =>
      (relay.db.prepare(`SELECT count(*) AS n FROM envelopes`).get() as { n: number }).n;
    const held = envelopes();
    a.services.clients.update({ id: client.id, patch: { notes: 'made on the older version' } });
    const err = await sync(a, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayRefusedError);
    expect((err as Error).message).toMatch(
      /older NeedleLog than another room.*Update NeedleLog on this computer/,
    );
    expect(envelopes()).toBe(held);
    // Nothing recorded in the room is lost meanwhile: it is still there, waiting to be sent.
    expect(a.services.clients.get({ id: client.id }).notes).toBe('made on the older version');
    // The relay's newest version never goes down because an older room asked.
    expect(relay.db.prepare(`SELECT value FROM relay_meta WHERE key = 'schema_version'`).pluck().get()).toBe(
      String(LATEST_VERSION + 1),
    );
  });

  it("the manager's computer runs the relay from Settings: pairs itself, gives codes, lists and revokes rooms", async () => {
    const manager = room();
    const { client } = seedCourse(manager);
    const here = manager.services.relayHere;
    expect(here.status()).toMatchObject({ running: false, devices: [] });
    expect(here.status().addresses).toContain('127.0.0.1');
    const started = await here.start({ host: '127.0.0.1', port: 0, name: 'Front desk' });
    cleanup.push(() => here.close());
    expect(started.running).toBe(true);
    expect(started.devices.map((d) => d.name)).toEqual(['Front desk']);
    expect(readSyncState(manager.db).relayUrl).toBe(started.url);
    await expect(here.start({ host: '127.0.0.1', port: 0, name: 'x' })).rejects.toThrow(/already runs/);

    // Another room pairs with a code Settings shows, under the clinic key the manager's room holds.
    const { code, expiresAt } = here.code();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    const key = syncKey(manager.db);
    const b = room();
    await pairRoom(b.db, key, {
      relayUrl: started.url!,
      code,
      name: 'Room 2',
      fingerprint: started.fingerprint!,
    });
    await manager.services.sync.now();
    await sync(b, key);
    expect(b.services.clients.get({ id: client.id }).firstName).toBe('Zoë');
    const listed = here.status().devices;
    expect(listed.map((d) => d.name)).toEqual(['Front desk', 'Room 2']);

    // Revoked from Settings: Room 2's next round is refused.
    const room2 = listed.find((d) => d.name === 'Room 2')!;
    expect(
      here.revoke({ deviceId: room2.id }).devices.find((d) => d.id === room2.id)?.revokedAt,
    ).not.toBeNull();
    await expect(sync(b, key)).rejects.toThrow(/revoked by the clinic manager/);
    expect(() => here.revoke({ deviceId: room2.id })).toThrow(/already revoked/);

    // Closed with the clinic, started again on the same address and port when it opens.
    await here.close();
    expect(here.status().running).toBe(false);
    await here.resume();
    expect(here.status().url).toBe(started.url);
    const stopped = await here.stop();
    expect(stopped.running).toBe(false);
    await here.resume();
    expect(here.status().running).toBe(false);
  });

  it("the relay's Settings are a manager's", async () => {
    const clinic = room();
    const { practitioner } = seedCourse(clinic);
    const other = clinic.services.practitioners.create({ name: 'Sam Lee' });
    clinic.services.actAs(other.id);
    expect(() => clinic.services.relayHere.status()).toThrow(/manager/i);
    await expect(clinic.services.relayHere.start({ host: '127.0.0.1', port: 0, name: 'x' })).rejects.toThrow(
      /manager/i,
    );
    clinic.services.actAs(practitioner.id);
    expect(() => clinic.services.relayHere.code()).toThrow(/not running/);
  });

  it("a copy of a paired room's folder (another room set up from its backup) must pair again", async () => {
    const relay = await relayIn();
    const key = testClinicKey();
    const a = room();
    seedCourse(a);
    await pairRoom(a.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 1' });
    // The folder copied as it stands (the database and its key file), as to a new room's computer.
    const copyDir = tempDir();
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of ['needlelog.sqlite', 'needlelog.keys'])
      fs.copyFileSync(path.join(a.dir, f), path.join(copyDir, f));
    const copy = openTestClinic(copyDir);
    cleanup.push(() => copy.close());
    await expect(sync(copy, key)).rejects.toThrow(/Pair this room again/);
    await pairRoom(copy.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 2' });
    expect(nodeOf(copy.db)).not.toBe(nodeOf(a.db));
    await sync(copy, key);
    await sync(a, key);
    expect(recordTables(copy.db)).toEqual(recordTables(a.db));
  });

  it('a relay restarted from its own backup loses nothing the rooms still hold', async () => {
    const dir = tempDir('needlelog-relay-');
    let relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port: 0 });
    const port = Number(new URL(relay.url).port);
    const key = testClinicKey();
    const [a, b] = [room(), room()];
    const { practitioner, course } = seedCourse(a);
    await pairRoom(a.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 1' });
    await pairRoom(b.db, key, { relayUrl: relay.url, code: newPairingCode(relay.db), name: 'Room 2' });
    await sync(a, key);
    await sync(b, key);
    const backup = path.join(tempDir(), 'relay-backup.sqlite');
    await relay.db.backup(backup);
    b.services.actAs(practitioner.id);
    for (let i = 0; i < 20; i++) {
      b.services.sessions.create({
        courseId: course.id,
        practitionerId: practitioner.id,
        performedAt: new Date(Date.parse('2026-03-02T08:00:00Z') + i * 3_600_000).toISOString(),
        zones: [{ zone: 'upper_lip', depthMm: 0.5 }],
      });
    }
    await sync(b, key);
    await relay.close();
    for (const f of ['relay.sqlite-wal', 'relay.sqlite-shm']) fs.rmSync(path.join(dir, f), { force: true });
    fs.copyFileSync(backup, path.join(dir, 'relay.sqlite'));
    relay = await startRelay({ dataDir: dir, host: '127.0.0.1', port });
    cleanup.push(() => relay.close());
    // B's sessions are gone from the relay; A has never seen them. Sync until everyone agrees.
    for (let i = 0; i < 2; i++) {
      await sync(a, key);
      await sync(b, key);
    }
    expect(a.services.sessions.list({ courseId: course.id })).toHaveLength(20);
    expect(recordTables(a.db)).toEqual(recordTables(b.db));
    expect(merkleHash(a.db)).toBe(merkleHash(b.db));
  });
});

function waitForLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const line = text.split('\n').find((l) => l.startsWith('NeedleLog relay at '));
      if (line) resolve(line);
    });
    child.on('exit', (code) => reject(new Error(`relay exited (${code}): ${text}`)));
  });
}

describe('needlelog relay (a real process)', () => {
  it('prints one line with URL, fingerprint and pairing code; survives SIGKILL and a restart', async () => {
    const dir = tempDir('needlelog-relay-');
    const start = (port: string) => {
      const child = spawn(
        process.execPath,
        ['bin/needlelog.mjs', 'relay', '--data-dir', dir, '--port', port],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      cleanup.push(() => child.kill('SIGKILL'));
      return child;
    };
    let child = start('0');
    const line = await waitForLine(child);
    const m =
      /^NeedleLog relay at (https:\/\/127\.0\.0\.1:(\d+)) certificate ([0-9A-F:]{95}) pairing code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/.exec(
        line.trim(),
      );
    expect(m, line).not.toBeNull();
    const [, url, port, fingerprint, code] = m!;
    const key = testClinicKey();
    const [a, b] = [room(), room()];
    const { client } = seedCourse(a);
    await pairRoom(a.db, key, { relayUrl: url!, code: code!, name: 'Room 1', fingerprint: fingerprint! });
    const second = await needlelog('relay-code', '--data-dir', dir);
    expect(second.code).toBe(0);
    await pairRoom(b.db, key, {
      relayUrl: url!,
      code: second.stdout.trim(),
      name: 'Room 2',
      fingerprint: fingerprint!,
    });
    await sync(a, key);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    a.services.clients.update({ id: client.id, patch: { notes: 'while the relay was down' } });
    await expect(sync(a, key)).rejects.toThrow(/cannot be reached/);
    child = start(port!);
    expect(await waitForLine(child)).toContain(fingerprint!);
    await sync(a, key);
    await sync(b, key);
    expect(b.services.clients.get({ id: client.id }).notes).toBe('while the relay was down');
    const devices = await needlelog('relay-devices', '--data-dir', dir);
    expect(devices.stdout).toContain('Room 1');
    expect(devices.stdout).toContain('Room 2');
    closeDatabase(a.db);
  }, 60_000);
});

describe('sync status (what the header shows)', () => {
  it('unpaired, then changes waiting, synced by the background tick, then offline with its sentence', async () => {
    const relay = await relayIn();
    const a = room();
    const { client } = seedCourse(a);
    expect(a.services.sync.status()).toMatchObject({ state: 'unpaired', relayUrl: null });
    expect(a.services.sync.tick()).toBeNull();
    await pairRoom(a.db, testClinicKey(), {
      relayUrl: relay.url,
      code: newPairingCode(relay.db),
      name: 'Room 1',
    });
    const waiting = a.services.sync.status();
    expect(waiting.state).toBe('waiting');
    expect(waiting.relayUrl).toBe(relay.url);
    expect(waiting.fingerprint).toBe(relay.fingerprint);
    expect(waiting.waiting).toBeGreaterThan(0);
    a.services.clients.update({ id: client.id, patch: { notes: 'one more' } });
    expect(a.services.sync.status().waiting).toBeGreaterThan(waiting.waiting);
    // The background round seals with the clinic key (a sub-key of the encrypted clinic's data key).
    const after = await a.services.sync.tick()!;
    expect(after).toMatchObject({ state: 'synced', waiting: 0, message: null });
    expect(after.lastSyncedAt).not.toBeNull();
    // The relay stops: the status says so in a sentence, and changes wait.
    a.services.clients.update({ id: client.id, patch: { notes: 'while the relay is down' } });
    await relay.close();
    cleanup.pop();
    const offline = await a.services.sync.now();
    expect(offline.state).toBe('offline');
    expect(offline.message).toMatch(/cannot be reached/);
    expect(offline.waiting).toBeGreaterThan(0);
  });
});
