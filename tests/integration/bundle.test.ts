import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { importBundle } from '../../electron/services/exports/importBundle.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import { createServices } from '../../electron/services/index.js';
import { photoStore } from '../../electron/services/photoStore.js';
import { REFUSED_RECORD_EDITS, editedBundle, exportZip, readZip, writeZip } from '../support/bundles.js';
import { photoFileOf } from '../../db/photos.js';
import { TEST_PASSPHRASE, TEST_SCRYPT, tempDir, testKeyFor } from '../support/clinic.js';
import { openBundle } from '../../electron/services/exports/bundleEnvelope.js';
import { plainJpeg, sidewaysJpegWithGps } from '../support/images.js';

const open: Db[] = [];
afterEach(() => {
  open.splice(0).forEach((db) => closeDatabase(db));
});

function clinicAt(dir: string, now?: () => Date) {
  const db = openDatabase(dir, testKeyFor(dir));
  open.push(db);
  return { dir, db, services: createServices(db, now ? { now } : {}) };
}

/** A small demo clinic, with two photos filed under the first course's first session. */
async function sourceClinic() {
  const src = clinicAt(tempDir());
  // Unsigned sessions, so tests can edit them at either end (signed ones: signedExports.test.ts).
  const plan = demoClinic({ clients: 4, signSessions: false });
  loadDemoStep(src.services, plan, -1);
  src.services.actAs(plan.practitionerIds[0]!); // the demo clinic's manager
  plan.clients.forEach((_, i) => loadDemoStep(src.services, plan, i));
  const session = src.db
    .prepare(
      `SELECT id, course_id AS courseId FROM sessions WHERE deleted_at IS NULL ORDER BY performed_at LIMIT 1`,
    )
    .get() as { id: string; courseId: string };
  for (const [i, view] of (['frontal', 'left_oblique'] as const).entries()) {
    await src.services.photos.import({
      sessionId: session.id,
      kind: 'before',
      view,
      data: await plainJpeg(160, 120, i + 3),
    });
  }
  return { ...src, courseId: session.courseId, sessionId: session.id };
}

const TABLES = [
  'practitioners',
  'clients',
  'courses',
  'sessions',
  'session_zones',
  'adverse_events',
  'photos',
];
function counts(db: Db): Record<string, number> {
  return Object.fromEntries(
    [...TABLES, 'audit_log'].map((t) => [
      t,
      (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    ]),
  );
}
function rowsOf(db: Db, table: string, where = '1'): unknown[] {
  // Where this data folder keeps a photo's sealed files (and their key) is local to it.
  return (
    db.prepare(`SELECT * FROM ${table} WHERE ${where} ORDER BY 1, 2`).all() as Record<string, unknown>[]
  ).map(({ file_id: _f, file_key: _k, ...row }) => row);
}

function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: false }, (err, zip) => {
      if (err) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName));
      zip.on('end', () => resolve(names));
    });
  });
}

describe('archive bundle', () => {
  it('waits in encrypted scratch files while it is made: no plain record, CSV or PDF in the data folder', async () => {
    const src = await sourceClinic();
    const names = (src.db.prepare(`SELECT first_name AS n FROM clients`).all() as { n: string }[]).map(
      (r) => r.n,
    );
    const prepared = prepareExport(
      src.services.ctx,
      { format: 'zip', selection: { courseId: src.courseId }, passphrase: TEST_PASSPHRASE },
      undefined,
      { scrypt: TEST_SCRYPT },
    );
    const exports = path.dirname(prepared.file);
    const staged: string[] = [];
    const readable: string[] = [];
    await runExport(src.services.ctx, prepared, (p) => {
      // Every document is made by now, and the zip is about to read them back.
      if (p.label !== 'Writing the archive' || p.done !== 0) return;
      for (const rel of fs.readdirSync(exports, { recursive: true }) as string[]) {
        const file = path.join(exports, rel);
        if (!rel.startsWith('.bundle-') || !fs.statSync(file).isFile()) continue;
        staged.push(path.basename(rel));
        const bytes = fs.readFileSync(file);
        for (const needle of [...names, '%PDF', '"tables"', 'performed_at'])
          if (bytes.includes(Buffer.from(needle, 'utf8'))) readable.push(`${rel}: ${needle}`);
      }
    });
    expect(staged.sort()).toEqual(['records.json', 'report.pdf', 'sessions.csv']);
    expect(readable).toEqual([]);
    expect(fs.readdirSync(exports).filter((f) => f.startsWith('.bundle-'))).toEqual([]); // removed
    // What came out of the scratch files is whole: the bundle opens, and each file matches the manifest.
    const inner = path.join(tempDir(), 'inner.zip');
    fs.writeFileSync(inner, await openBundle(fs.readFileSync(prepared.file), TEST_PASSPHRASE));
    const entries = new Map(await readZip(inner));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
      files: { path: string; sha256: string }[];
    };
    for (const name of ['records.json', 'sessions.csv', 'report.pdf']) {
      const listed = manifest.files.find((f) => f.path === name)!;
      expect(crypto.createHash('sha256').update(entries.get(name)!).digest('hex'), name).toBe(listed.sha256);
    }
    expect(entries.get('report.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    const { n } = src.db
      .prepare(`SELECT c.first_name AS n FROM clients c JOIN courses k ON k.client_id = c.id WHERE k.id = ?`)
      .get(src.courseId) as { n: string };
    expect(entries.get('records.json')!.toString('utf8')).toContain(JSON.stringify(n));
  });

  it('round-trips a course into an empty clinic, and a second import changes nothing', async () => {
    const src = await sourceClinic();
    const zip = await exportZip(src.services, { courseId: src.courseId });
    const names = await zipEntries(zip);
    expect(names).toContain('manifest.json');
    expect(names).toContain('records.json');
    expect(names).toContain('sessions.csv');
    expect(names.filter((n) => n.startsWith('photos/'))).toHaveLength(6);
    // The course report joins course and client bundles (tests/integration/exportPdf.test.ts).
    expect(names.filter((n) => n.endsWith('.pdf'))).toEqual(['report.pdf']);

    const dst = clinicAt(tempDir());
    const report = await importBundle(dst.services.ctx, zip);
    expect(report.created.courses).toBe(1);
    expect(report.created.photos).toBe(2);
    expect(report.photoFiles).toBe(2); // each stored with its three sizes

    // Same rows as the source's course, column for column.
    const course = `id = '${src.courseId}'`;
    const sessions = `course_id = '${src.courseId}'`;
    expect(rowsOf(dst.db, 'courses')).toEqual(rowsOf(src.db, 'courses', course));
    expect(rowsOf(dst.db, 'sessions')).toEqual(rowsOf(src.db, 'sessions', sessions));
    expect(rowsOf(dst.db, 'session_zones')).toEqual(
      rowsOf(src.db, 'session_zones', `session_id IN (SELECT id FROM sessions WHERE ${sessions})`),
    );
    expect(rowsOf(dst.db, 'adverse_events')).toEqual(
      rowsOf(src.db, 'adverse_events', `session_id IN (SELECT id FROM sessions WHERE ${sessions})`),
    );
    expect(rowsOf(dst.db, 'photos')).toEqual(rowsOf(src.db, 'photos'));
    // Each photo keeps the consent scope it was filed under (its session's consent at import time).
    const scope = src.services.sessions.get({ id: src.sessionId }).photoConsent;
    expect(scope).not.toBe('none');
    expect(dst.services.photos.list({ courseId: src.courseId }).map((p) => p.consentScope)).toEqual([
      scope,
      scope,
    ]);
    const [clientRow] = rowsOf(dst.db, 'clients') as { id: string }[];
    expect(rowsOf(dst.db, 'clients')).toEqual(rowsOf(src.db, 'clients', `id = '${clientRow!.id}'`));
    // Same photos, by hash: the full size exactly; the smaller sizes made again here from it.
    for (const p of rowsOf(dst.db, 'photos') as { id: string; sha256: string }[]) {
      const there = (await dst.services.photos.bytesOf(p.id, 'full'))!;
      expect(there.equals((await src.services.photos.bytesOf(p.id, 'full'))!)).toBe(true);
      for (const v of ['preview', 'thumb'] as const) {
        expect((await dst.services.photos.bytesOf(p.id, v))?.subarray(0, 3)).toEqual(
          Buffer.from([0xff, 0xd8, 0xff]),
        );
      }
      expect(crypto.createHash('sha256').update(there).digest('hex')).toBe(p.sha256);
    }
    // Search works on imported clients (FTS kept by triggers).
    expect(
      dst.services.clients.list({ query: (clientRow as unknown as { first_name: string }).first_name }).total,
    ).toBe(1);

    const before = counts(dst.db);
    const again = await importBundle(dst.services.ctx, zip);
    expect(counts(dst.db)).toEqual(before);
    expect(again.created).toEqual({
      practitioners: 0,
      clients: 0,
      courses: 0,
      sessions: 0,
      adverseEvents: 0,
      photos: 0,
    });
    expect(again.updated).toEqual(again.created);
    expect(again.photoFiles).toBe(0);
  });

  it('takes a newer updated_at from the bundle and audits the change; an older one is ignored', async () => {
    let t = Date.parse('2030-01-01T00:00:00Z');
    const src = await sourceClinic();
    const dst = clinicAt(tempDir());
    await importBundle(dst.services.ctx, await exportZip(src.services, { courseId: src.courseId }));

    // Edited at the source later: the bundle's copy is newer.
    const later = createServices(src.db, { now: () => new Date((t += 60_000)) });
    later.sessions.update({ id: src.sessionId, patch: { notes: 'Edited at the other machine', pain: 7 } });
    const auditBefore = counts(dst.db).audit_log!;
    const report = await importBundle(
      dst.services.ctx,
      await exportZip(src.services, { courseId: src.courseId }),
    );
    expect(report.updated.sessions).toBe(1);
    expect(rowsOf(dst.db, 'sessions', `id = '${src.sessionId}'`)).toEqual(
      rowsOf(src.db, 'sessions', `id = '${src.sessionId}'`),
    );
    const history = dst.services.audit.list({ entity: 'session', entityId: src.sessionId });
    const last = history[history.length - 1]!;
    expect(last.action).toBe('update');
    expect((last.before as { notes: string }).notes).not.toBe('Edited at the other machine');
    expect((last.after as { notes: string; pain: number }).notes).toBe('Edited at the other machine');
    expect(counts(dst.db).audit_log).toBe(auditBefore + 1);

    // Edited here even later: the older bundle copy does not overwrite it.
    const here = createServices(dst.db, { now: () => new Date((t += 60_000)) });
    here.sessions.update({ id: src.sessionId, patch: { notes: 'Newer here' } });
    const third = await importBundle(
      dst.services.ctx,
      await exportZip(src.services, { courseId: src.courseId }),
    );
    expect(third.updated.sessions).toBe(0);
    expect(dst.services.sessions.get({ id: src.sessionId }).notes).toBe('Newer here');
  });

  it('refuses a bundle with one byte of a photo flipped, and imports nothing', async () => {
    const src = await sourceClinic();
    const zip = await exportZip(src.services, { courseId: src.courseId });
    const bytes = fs.readFileSync(zip);
    const first = (rowsOf(src.db, 'photos') as { id: string }[])[0]!.id;
    const photo = (await src.services.photos.bytesOf(first, 'full'))!;
    const at = bytes.indexOf(photo);
    expect(at).toBeGreaterThan(0);
    const mid = at + Math.floor(photo.length / 2);
    bytes[mid] = (bytes[mid] as number) ^ 0x01;
    const damaged = path.join(tempDir(), 'damaged.zip');
    fs.writeFileSync(damaged, bytes);

    const dst = clinicAt(tempDir());
    const before = counts(dst.db);
    await expect(importBundle(dst.services.ctx, damaged)).rejects.toThrow(
      /photos\/full\/.*does not match its checksum.*Nothing was imported/,
    );
    expect(counts(dst.db)).toEqual(before);
    expect(fs.existsSync(path.join(dst.dir, 'photos'))).toBe(false);
    expect(fs.readdirSync(path.join(dst.dir, 'exports'))).toEqual([]);
  });

  it('refuses a bundle whose photo carries metadata (EXIF/GPS), even with valid checksums', async () => {
    const src = await sourceClinic();
    // A full-size file that did not come through the pipeline, filed under its true hash.
    const tainted = await sidewaysJpegWithGps();
    const sha = crypto.createHash('sha256').update(tainted).digest('hex');
    const store = photoStore(src.dir);
    const firstId = (
      src.db.prepare(`SELECT id FROM photos WHERE rowid = (SELECT min(rowid) FROM photos)`).get() as {
        id: string;
      }
    ).id;
    await store.put(photoFileOf(src.db, firstId)!, { full: tainted, preview: tainted, thumb: tainted });
    src.db.prepare(`UPDATE photos SET sha256 = ? WHERE id = ?`).run(sha, firstId);
    const zip = await exportZip(src.services, { courseId: src.courseId });

    const dst = clinicAt(tempDir());
    const before = counts(dst.db);
    await expect(importBundle(dst.services.ctx, zip)).rejects.toThrow(/carries metadata/);
    expect(counts(dst.db)).toEqual(before);
    expect(photoStore(dst.dir).listFileIds()).toEqual([]);
  });

  it('refuses files outside the manifest, unsafe names, and things that are not bundles', async () => {
    const src = await sourceClinic();
    const good = await exportZip(src.services, { courseId: src.courseId });
    const dst = clinicAt(tempDir());

    // Re-pack the good bundle with one extra entry.
    const repack = async (extra: [string, string]) =>
      writeZip(
        [...(await readZip(good)), [extra[0], Buffer.from(extra[1])]],
        path.join(tempDir(), 'repacked.zip'),
      );
    await expect(importBundle(dst.services.ctx, await repack(['notes.txt', 'hi']))).rejects.toThrow(
      /"notes.txt", which its manifest does not list/,
    );
    // yazl will not write a traversing name: write a harmless one of the same length, then patch it.
    const traversing = await repack(['photos/aa/bbevil.txt', 'x']);
    const raw = fs.readFileSync(traversing);
    for (let at = raw.indexOf('photos/aa/bbevil.txt'); at !== -1; at = raw.indexOf('photos/aa/bbevil.txt')) {
      raw.write('photos/../../evil.tx', at, 'latin1');
    }
    fs.writeFileSync(traversing, raw);
    await expect(importBundle(dst.services.ctx, traversing)).rejects.toThrow(/Nothing was imported/);
    const notZip = path.join(tempDir(), 'x.zip');
    fs.writeFileSync(notZip, 'not a zip');
    await expect(importBundle(dst.services.ctx, notZip)).rejects.toThrow(/not a readable zip/);
    expect(counts(dst.db).sessions).toBe(0);
  });

  it('exports the whole clinic (every client and practitioner) and imports it into itself without duplicates', async () => {
    const src = await sourceClinic();
    const zip = await exportZip(src.services, {});
    const before = counts(src.db);
    const report = await importBundle(src.services.ctx, zip);
    expect(counts(src.db)).toEqual(before);
    expect(report.unchanged).toBeGreaterThan(0);
    const dst = clinicAt(tempDir());
    await importBundle(dst.services.ctx, zip);
    const live = (db: Db, t: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE deleted_at IS NULL`).get() as { n: number }).n;
    for (const t of ['practitioners', 'clients', 'courses', 'sessions', 'photos']) {
      expect(live(dst.db, t)).toBe(live(src.db, t));
    }
  });
});

describe('archive bundle records are held to the API rules', () => {
  /** A course bundle with a practitioner, client, course, sessions with zones, an adverse event and photos. */
  async function courseBundle() {
    const src = await sourceClinic();
    src.services.adverseEvents.create({
      sessionId: src.sessionId,
      kind: 'bruising',
      severity: 'mild',
      onsetOn: '2026-03-03',
      resolvedOn: '2026-03-05',
    });
    return { src, zip: await exportZip(src.services, { courseId: src.courseId }) };
  }

  it('refuses every edited bundle the API would refuse, naming file, record and field, and writes nothing', async () => {
    const { src, zip } = await courseBundle();
    const dst = clinicAt(tempDir());
    const before = counts(dst.db);
    const messages: string[] = [];
    for (const variant of REFUSED_RECORD_EDITS) {
      const edited = await editedBundle(zip, variant.edit);
      const refusal = await importBundle(dst.services.ctx, edited).then(
        () => `${variant.name}: imported`,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      messages.push(refusal);
      // "records.json: session "<id>" (sessions row 1), field pain: Pain must be … Nothing was imported."
      expect(refusal, variant.name).toMatch(/^records\.json: [a-z ]+ "[^"]+" \([a-z_]+ row \d+\), field /);
      expect(refusal, variant.name).toContain(`field ${variant.field}`);
      expect(refusal, variant.name).toMatch(/Nothing was imported\.$/);
      expect(counts(dst.db), variant.name).toEqual(before);
      expect(fs.existsSync(path.join(dst.dir, 'photos')), variant.name).toBe(false);
    }
    expect(REFUSED_RECORD_EDITS.length).toBeGreaterThanOrEqual(22);
    expect(messages).toContain(
      `records.json: session "${src.sessionId}" (sessions row 1), field pain: Pain must be a whole number from 0 to 10. Nothing was imported.`,
    );
    expect(messages.find((m) => m.includes('field resolved_on'))).toMatch(
      /adverse event "[0-9a-f-]{36}" \(adverse_events row 1\), field resolved_on: The resolved date cannot be before the onset date\./,
    );
    expect(messages).toContain(
      'records.json: session "not-a-uuid" (sessions row 1), field id: That record reference is not valid. Nothing was imported.',
    );
    // The untouched bundle still imports.
    const report = await importBundle(dst.services.ctx, zip);
    expect(report.created.courses).toBe(1);
  });

  it('writes what the API would have written: trimmed text, UTC times, and a sort name of its own', async () => {
    const { zip } = await courseBundle();
    const edited = await editedBundle(zip, (r) => {
      Object.assign(r.tables.clients![0]!, { first_name: '  Zoë  ', last_name: 'Ábel', sort_name: 'zzz' });
      r.tables.sessions![0]!.performed_at = '2026-03-02T12:00:00+02:00';
    });
    const dst = clinicAt(tempDir());
    await importBundle(dst.services.ctx, edited);
    const client = dst.db.prepare(`SELECT first_name, sort_name FROM clients`).get();
    expect(client).toEqual({ first_name: 'Zoë', sort_name: 'abel zoe' });
    const firstSession = (await readRecords(zip)).tables.sessions![0]!.id as string;
    expect(dst.services.sessions.get({ id: firstSession }).performedAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('splits the unsided zones of a bundle from before schema 11 into their sides, at the same depth', async () => {
    const { zip } = await courseBundle();
    const firstSession = (await readRecords(zip)).tables.sessions![0]!.id as string;
    const edited = await editedBundle(zip, (r) => {
      r.tables.session_zones = [
        ...r.tables.session_zones!.filter((z) => z.session_id !== firstSession),
        { session_id: firstSession, position: 0, zone: 'cheeks', depth_mm: 1.25 },
        { session_id: firstSession, position: 1, zone: 'lips_perioral', depth_mm: 0.3 },
      ];
    });
    const dst = clinicAt(tempDir());
    await importBundle(dst.services.ctx, edited);
    expect(dst.services.sessions.get({ id: firstSession }).zones).toEqual([
      { zone: 'cheek_left', depthMm: 1.25 },
      { zone: 'cheek_right', depthMm: 1.25 },
      { zone: 'upper_lip', depthMm: 0.3 },
      { zone: 'lower_lip', depthMm: 0.3 },
      { zone: 'perioral', depthMm: 0.3 },
    ]);
  });
});

async function readRecords(zip: string) {
  const entry = (await readZip(zip)).find(([n]) => n === 'records.json')!;
  return JSON.parse(entry[1].toString('utf8')) as { tables: Record<string, Record<string, unknown>[]> };
}
