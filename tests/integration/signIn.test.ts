import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { CHANNEL_NAMES, channelAccess } from '../../contract/channels.js';
import { closeDatabase, openDatabase } from '../../db/connection.js';
import type { BrowserHost } from '../../electron/host/browserHost.js';
import { startTestHost } from '../support/host.js';
import { openedZip } from '../support/bundles.js';
import { createServices } from '../../electron/services/index.js';
import { TEST_PASSPHRASE, tempDir, testKeyFor } from '../support/clinic.js';
import { TEST_PIN, hostCall, signInHost } from '../support/signIn.js';
import { strokes } from '../support/signatures.js';

// Sign-in at the API, through the real browser host on a real SQLite file: what an unsigned, a
// locked, a practitioner's and a manager's caller may do, and what is written about it.

const hosts: BrowserHost[] = [];
const logged: string[] = [];

async function start(dataDir = tempDir('needlelog-signin-')): Promise<BrowserHost & { dataDir: string }> {
  const rendererDir = tempDir('needlelog-signin-renderer-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const host = await startTestHost({
    dataDir,
    rendererDir,
    log: (message, err) => logged.push(`${message} ${err instanceof Error ? err.stack : String(err ?? '')}`),
  });
  hosts.push(host);
  return Object.assign(host, { dataDir });
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

/** Every entry of a zip, inflated and concatenated, to search its text. */
function unzipAll(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const parts: Buffer[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.on('end', () => resolve(Buffer.concat(parts)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** A clinic with a manager (signed in) and a practitioner, both with TEST_PIN-style PINs. */
async function clinicWithTwo() {
  const host = await start();
  const manager = await signInHost(host, { name: 'Mara Manager' });
  const created = await hostCall<{ id: string; role: string }>(host, 'practitioners.create', {
    name: 'Pat Practitioner',
  });
  expect(created.value.role).toBe('practitioner');
  expect((await hostCall(host, 'auth.resetPin', { id: created.value.id, pin: '13572468' })).ok).toBe(true);
  return { host, manager, practitioner: created.value };
}

describe('signed out', () => {
  it('every channel but the sign-in ones refuses an unsigned caller with a clear sentence, and writes nothing', async () => {
    const host = await start();
    await signInHost(host);
    await hostCall(host, 'clients.create', { firstName: 'Before', lastName: 'Signout' });
    expect((await hostCall(host, 'auth.signOut', {})).value).toMatchObject({ state: 'signedOut' });

    const open = CHANNEL_NAMES.filter((c) => channelAccess[c] === 'public');
    expect(open.sort()).toEqual(
      [
        'auth.lock',
        'auth.setPin',
        'auth.signIn',
        'auth.signOut',
        'auth.status',
        'auth.unlock',
        // Unlocking the clinic comes before anyone can sign in (contract/security.ts).
        'clinic.status',
        'clinic.setup',
        'clinic.unlock',
        'clinic.encrypt',
      ].sort(),
    );
    for (const channel of CHANNEL_NAMES.filter((c) => channelAccess[c] !== 'public')) {
      const reply = await hostCall(host, channel, channel === 'clients.create' ? { firstName: 'Eve' } : {});
      expect(reply.status, channel).toBe(401);
      expect(reply.error?.code, channel).toBe('sign_in_required');
      expect(reply.error?.message, channel).toMatch(/Sign in first/);
    }
    await signInHost(host);
    const list = await hostCall<{ total: number }>(host, 'clients.list', {});
    expect(list.value.total).toBe(1);
  });

  it('a fresh clinic: only the first-run channels open (setup, demo), and setup makes a manager who is signed in', async () => {
    const host = await start();
    const status = await hostCall<{ firstRun: boolean; state: string }>(host, 'auth.status', {});
    expect(status.value).toMatchObject({ firstRun: true, state: 'signedOut' });
    expect((await hostCall(host, 'practitioners.create', { name: 'Sneaky' })).status).toBe(401);
    const weak = await hostCall(host, 'auth.setup', { clinicName: 'C', name: 'Mara', pin: '1234' });
    expect(weak.error).toMatchObject({ code: 'invalid_input', field: 'pin' });
    expect(weak.error?.message).toMatch(/at least 6 digits/);
    const setup = await hostCall<{ state: string; practitioner: { role: string; name: string } }>(
      host,
      'auth.setup',
      { clinicName: 'Clinic', name: 'Mara', pin: TEST_PIN },
    );
    expect(setup.value).toMatchObject({ state: 'signedIn', practitioner: { name: 'Mara', role: 'manager' } });
    // Set up once only.
    const again = await hostCall(host, 'auth.setup', { clinicName: 'X', name: 'Y', pin: TEST_PIN });
    expect(again.error?.code).toBe('conflict');
  });
});

describe('roles', () => {
  it('a practitioner gets 403 with a sentence from every manager channel, and from a clinic-wide export', async () => {
    const { host, practitioner } = await clinicWithTwo();
    const client = await hostCall<{ id: string }>(host, 'clients.create', { firstName: 'Zoë' });
    await hostCall(host, 'auth.signOut', {});
    const signedIn = await hostCall(host, 'auth.signIn', {
      practitionerId: practitioner.id,
      pin: '13572468',
    });
    expect(signedIn.value).toMatchObject({ state: 'signedIn', practitioner: { role: 'practitioner' } });

    for (const channel of CHANNEL_NAMES.filter((c) => channelAccess[c] === 'manager')) {
      const reply = await hostCall(host, channel, {});
      expect(reply.status, channel).toBe(403);
      expect(reply.error?.message, channel).toBe(
        'A manager must do this. Ask a manager to sign in and do it.',
      );
    }
    const wide = await hostCall(host, 'exports.start', { format: 'csv', selection: {} });
    expect(wide.status).toBe(403);
    const own = await hostCall(host, 'exports.start', {
      format: 'csv',
      selection: { clientId: client.value.id },
    });
    expect(own.ok).toBe(true);
    // Clinical work is theirs.
    expect((await hostCall(host, 'clients.create', { firstName: 'Ada' })).ok).toBe(true);
  });

  it('the first practitioner is a manager, and the clinic always keeps one', async () => {
    const { host, manager, practitioner } = await clinicWithTwo();
    const demote = await hostCall(host, 'practitioners.update', {
      id: manager.id,
      patch: { role: 'practitioner' },
    });
    expect(demote.status).toBe(409);
    expect(demote.error?.message).toMatch(/at least one manager/);
    const promote = await hostCall(host, 'practitioners.update', {
      id: practitioner.id,
      patch: { role: 'manager' },
    });
    expect(promote.value).toMatchObject({ role: 'manager' });
    // Now the first manager may step down; the other one may not be removed after that.
    expect(
      (await hostCall(host, 'practitioners.update', { id: manager.id, patch: { role: 'practitioner' } })).ok,
    ).toBe(true);
    // Demoted while signed in: manager channels refuse at once.
    expect((await hostCall(host, 'settings.update', { clinicName: 'X' })).status).toBe(403);
  });
});

describe('audit actor', () => {
  it('is the signed-in practitioner, whatever the request body says', async () => {
    const { host, manager, practitioner } = await clinicWithTwo();
    await hostCall(host, 'auth.signOut', {});
    await hostCall(host, 'auth.signIn', { practitionerId: practitioner.id, pin: '13572468' });
    // A body naming an actor is refused outright (strict schemas)…
    const claim = await hostCall(host, 'clients.create', { firstName: 'Zoë', actorId: manager.id });
    expect(claim.error).toMatchObject({ code: 'invalid_input' });
    expect(claim.error?.message).toMatch(/Unexpected field: actorId/);
    // …and a session performed by someone else is clinical data, not the actor of the write.
    const client = await hostCall<{ id: string }>(host, 'clients.create', { firstName: 'Zoë' });
    const course = await hostCall<{ id: string }>(host, 'courses.create', {
      clientId: client.value.id,
      area: 'cheeks',
      indication: 'acne_scars',
      plannedSessions: 3,
      plannedIntervalDays: 28,
      startedOn: '2026-01-05',
    });
    await hostCall(host, 'consents.sign', {
      courseId: course.value.id,
      templateVersion: 1,
      photoScope: 'record',
      clientName: 'Zoë',
      clientSignature: strokes(3),
      practitionerSignature: strokes(2),
    });
    const session = await hostCall<{ id: string; practitionerId: string }>(host, 'sessions.create', {
      courseId: course.value.id,
      practitionerId: manager.id,
      performedAt: '2026-01-05T10:00:00Z',
      zones: [{ zone: 'cheek_left', depthMm: 1 }],
    });
    expect(session.value.practitionerId).toBe(manager.id);
    const history = await hostCall<{ actorId: string; actorName: string }[]>(host, 'audit.list', {
      entity: 'session',
      entityId: session.value.id,
    });
    expect(history.value.map((e) => e.actorName)).toEqual(['Pat Practitioner']);
    expect(history.value[0]!.actorId).toBe(practitioner.id);
  });
});

describe('lock', () => {
  it('refuses everything but unlock once locked; only the same practitioner’s PIN unlocks', async () => {
    const { host, manager } = await clinicWithTwo();
    const locked = await hostCall<{ state: string }>(host, 'auth.lock', {});
    expect(locked.value.state).toBe('locked');
    const refused = await hostCall(host, 'clients.list', {});
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe('NeedleLog is locked. Unlock it with your PIN.');
    // The other practitioner's PIN is not this session's PIN.
    const wrong = await hostCall(host, 'auth.unlock', { pin: '13572468' });
    expect(wrong.error).toMatchObject({ code: 'invalid_input', field: 'pin' });
    const unlocked = await hostCall<{ state: string; practitioner: { id: string } }>(host, 'auth.unlock', {
      pin: TEST_PIN,
    });
    expect(unlocked.value).toMatchObject({ state: 'signedIn', practitioner: { id: manager.id } });
    expect((await hostCall(host, 'clients.list', {})).ok).toBe(true);
  });
});

describe('wrong PINs', () => {
  it('after 5 wrong PINs each try waits longer; the wait survives a restart and is in the activity log', async () => {
    const { host, practitioner } = await clinicWithTwo();
    const dataDir = (host as BrowserHost & { dataDir: string }).dataDir;
    const messages: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await hostCall(host, 'auth.signIn', { practitionerId: practitioner.id, pin: `99999${i}` });
      messages.push(r.error?.message ?? '');
    }
    expect(messages[0]).toBe('That PIN is not right. 4 tries left before a wait.');
    expect(messages[4]).toBe('That PIN is not right. Too many wrong PINs: try again in 30 seconds.');
    // Even the right PIN waits now.
    const waiting = await hostCall(host, 'auth.signIn', { practitionerId: practitioner.id, pin: '13572468' });
    expect(waiting.status).toBe(403);
    expect(waiting.error?.message).toMatch(/^Too many wrong PINs\. Try again in \d+ seconds\.$/);

    await host.close();
    const again = await start(dataDir);
    const status = await hostCall<{ people: { id: string; waitUntil: string | null }[] }>(
      again,
      'auth.status',
      {},
    );
    const entry = status.value.people.find((p) => p.id === practitioner.id)!;
    expect(Date.parse(entry.waitUntil!)).toBeGreaterThan(Date.now());
    const afterRestart = await hostCall(again, 'auth.signIn', {
      practitionerId: practitioner.id,
      pin: '13572468',
    });
    expect(afterRestart.error?.message).toMatch(/^Too many wrong PINs/);

    await signInHost(again, { name: 'Mara Manager' });
    const log = await hostCall<{ items: { action: string; actorId: string; summary: string }[] }>(
      again,
      'activity.list',
      { actorId: practitioner.id, kind: 'signIn' },
    );
    const actions = log.value.items.map((e) => e.action);
    expect(actions.filter((a) => a === 'sign_in_failed')).toHaveLength(5);
    expect(actions).toContain('sign_in_wait');
    expect(log.value.items.find((e) => e.action === 'sign_in_failed')?.summary).toMatch(/Wrong PIN/);
  });
});

describe('PIN hashes', () => {
  it('never appear in an export, a bundle, the activity log or the host log', async () => {
    const { host } = await clinicWithTwo();
    const client = await hostCall<{ id: string }>(host, 'clients.create', { firstName: 'Zoë' });
    const hashes = (() => {
      const db = openDatabase(
        (host as BrowserHost & { dataDir: string }).dataDir,
        testKeyFor((host as BrowserHost & { dataDir: string }).dataDir),
      );
      try {
        const rows = db.prepare(`SELECT salt, hash FROM practitioner_pins`).all() as {
          salt: Buffer;
          hash: Buffer;
        }[];
        return rows.flatMap((r) => [r.hash, r.salt]);
      } finally {
        closeDatabase(db);
      }
    })();
    expect(hashes).toHaveLength(4);
    const needles = hashes.flatMap((b) => [b.toString('hex'), b.toString('base64'), b.toString('base64url')]);
    needles.push(TEST_PIN, '13572468');

    const files: Buffer[] = [];
    for (const [format, selection] of [
      ['csv', {}],
      ['zip', {}],
      ['zip', { clientId: client.value.id }],
    ] as const) {
      const job = await hostCall<{ jobId: string }>(host, 'exports.start', {
        format,
        selection,
        ...(format === 'zip' ? { passphrase: TEST_PASSPHRASE } : {}),
      });
      expect(job.ok).toBe(true);
      let result;
      for (let i = 0; i < 200; i++) {
        result = await hostCall<{ fileName: string }>(host, 'exports.result', { jobId: job.value.jobId });
        if (result.ok) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(result?.ok).toBe(true);
      const dir = path.join((host as BrowserHost & { dataDir: string }).dataDir, 'exports');
      const file = path.join(dir, result!.value.fileName);
      files.push(
        format === 'zip' ? await unzipAll(await openedZip(file, TEST_PASSPHRASE)) : fs.readFileSync(file),
      );
    }
    const activity = await hostCall(host, 'activity.list', {});
    const texts = [
      ...files.map((f) => f.toString('latin1')),
      JSON.stringify(activity.value),
      logged.join('\n'),
    ];
    for (const text of texts) for (const needle of needles) expect(text.includes(needle)).toBe(false);
    // The bundle's records carry the practitioners, not their PINs.
    expect(files[1]!.toString('latin1')).toContain('Pat Practitioner');
  });
});

describe('upgrade of a clinic from before sign-in', () => {
  it('the earliest practitioner is its manager and sets a PIN first; the others then set theirs at their first sign-in', async () => {
    const dataDir = tempDir('needlelog-upgrade-');
    {
      const db = openDatabase(dataDir, testKeyFor(dataDir));
      const services = createServices(db);
      // Written as an older NeedleLog would have: practitioners without PINs.
      const a = services.practitioners.create({ name: 'Ann First' });
      services.practitioners.create({ name: 'Ben Second' });
      db.prepare(`DELETE FROM practitioner_pins`).run();
      expect(a.role).toBe('manager');
      closeDatabase(db);
    }
    const host = await start(dataDir);
    const status = await hostCall<{
      managerPinNeeded: boolean;
      people: { id: string; name: string; role: string; hasPin: boolean }[];
    }>(host, 'auth.status', {});
    expect(status.value.managerPinNeeded).toBe(true);
    const ann = status.value.people.find((p) => p.name === 'Ann First')!;
    const ben = status.value.people.find((p) => p.name === 'Ben Second')!;
    expect([ann.role, ann.hasPin, ben.role, ben.hasPin]).toEqual(['manager', false, 'practitioner', false]);
    const benFirst = await hostCall(host, 'auth.setPin', { practitionerId: ben.id, pin: '24682468' });
    expect(benFirst.status).toBe(403);
    expect(benFirst.error?.message).toMatch(/A manager signs in first/);
    expect(
      (await hostCall(host, 'auth.setPin', { practitionerId: ann.id, pin: TEST_PIN })).value,
    ).toMatchObject({
      state: 'signedIn',
    });
    await hostCall(host, 'auth.signOut', {});
    expect(
      (await hostCall(host, 'auth.setPin', { practitionerId: ben.id, pin: '24682468' })).value,
    ).toMatchObject({ state: 'signedIn', practitioner: { name: 'Ben Second' } });
    // Once set, a PIN is not set again this way.
    const twice = await hostCall(host, 'auth.setPin', { practitionerId: ben.id, pin: '11112222' });
    expect(twice.error?.code).toBe('conflict');
  });
});
