import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { signInHost } from '../support/signIn.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHost } from '../support/host.js';
import { photoSignature } from '../../electron/host/security.js';
import { AppError } from '../../electron/services/errors.js';
import { photoFileOf } from '../../db/photos.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { needlelog } from '../support/cli.js';
import {
  jpegAppMarkers,
  jpegScanData,
  meanColour,
  plainJpeg,
  sidewaysJpegWithGps,
} from '../support/images.js';

let clinic: TestClinic;
let sessionId: string;
beforeEach(() => {
  clinic = openTestClinic();
  const { practitioner, course } = seedCourse(clinic);
  sessionId = clinic.services.sessions.create({
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    photoConsent: 'record',
  }).value.id;
});
afterEach(() => clinic.close());

const photoFiles = () => {
  const root = path.join(clinic.dir, 'photos');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.jpg') || f.endsWith('.nlp') || f.endsWith('.tmp'),
  );
};
const photoRows = () => (clinic.db.prepare(`SELECT count(*) AS n FROM photos`).get() as { n: number }).n;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the import to be rejected');
}

describe('photo import', () => {
  it('stores an upright copy with no EXIF, GPS, XMP or ICC at all, named by its hash', async () => {
    const original = await sidewaysJpegWithGps();
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.toString('latin1')).toContain('TestCam');
    expect(before.xmp).toBeDefined();

    const photo = await clinic.services.photos.import({
      sessionId,
      kind: 'before',
      view: 'frontal',
      data: original,
    });
    expect([photo.width, photo.height]).toEqual([100, 200]); // turned upright: portrait
    expect(photo.takenAt).toBe('2026-03-02T10:15:00');

    // On disk: sealed, under a name that says nothing of the content; the image itself only in memory.
    const onDisk = photoFiles().map((f) => fs.readFileSync(path.join(clinic.dir, 'photos', f)));
    expect(onDisk).toHaveLength(3);
    for (const bytes of onDisk) expect(bytes.subarray(0, 4).toString('latin1')).toBe('NLP1');
    expect(photoFiles().some((f) => f.includes(photo.sha256))).toBe(false);
    const stored = (await clinic.services.photos.bytesOf(photo.id, 'full'))!;
    expect(crypto.createHash('sha256').update(stored).digest('hex')).toBe(photo.sha256);
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(jpegAppMarkers(stored).filter((m) => m !== 0xe0)).toEqual([]); // only JFIF's APP0 remains
    expect(stored.includes(Buffer.from('TestCam'))).toBe(false);
    expect(stored.includes(Buffer.from('Jane Client'))).toBe(false);

    // Sideways red top-left, turned 90° clockwise, is red top-right.
    const [r1, , b1] = await meanColour(stored, { left: 60, top: 10, width: 30, height: 80 });
    const [r2, , b2] = await meanColour(stored, { left: 10, top: 10, width: 30, height: 80 });
    expect(r1).toBeGreaterThan(180);
    expect(b1).toBeLessThan(80);
    expect(b2).toBeGreaterThan(150);
    expect(r2).toBeLessThan(80);

    for (const variant of ['thumb', 'preview'] as const) {
      const v = (await clinic.services.photos.bytesOf(photo.id, variant))!;
      expect((await sharp(v).metadata()).exif).toBeUndefined();
    }
  });

  it('stores an upright camera JPEG with its own image data, through the worker threads, metadata gone', async () => {
    // Upright, quality 92 (a camera's), with EXIF and GPS: kept byte for byte but for its metadata.
    const camera = async (width: number, height: number) =>
      sharp({
        create: {
          width,
          height,
          channels: 3,
          background: '#000',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
        .jpeg({ quality: 92 })
        .toBuffer();
    const views = ['frontal', 'close_up'] as const;
    // 640×480, and a tiny one whose bytes would fit Node's shared buffer pool.
    for (const [i, original] of [await camera(640, 480), await camera(16, 16)].entries()) {
      const photo = await clinic.services.photos.import({
        sessionId,
        kind: 'before',
        view: views[i]!,
        data: original,
      });
      const stored = (await clinic.services.photos.bytesOf(photo.id, 'full'))!;
      expect(jpegScanData(stored).equals(jpegScanData(original))).toBe(true);
      expect(jpegAppMarkers(stored)).toEqual([]);
      expect(stored.includes(Buffer.from('TestCam'))).toBe(false);
      const meta = await sharp(stored).metadata();
      expect([meta.exif, meta.orientation, meta.width]).toEqual([undefined, undefined, i === 0 ? 640 : 16]);
      expect(photo.bytes).toBe(stored.byteLength);
    }
  });

  it('imports HEIC from phones', async () => {
    const heic = fs.readFileSync(path.resolve('tests/fixtures/quadrants.heic'));
    const photo = await clinic.services.photos.import({
      sessionId,
      kind: 'after',
      view: 'close_up',
      data: heic,
    });
    expect([photo.width, photo.height]).toEqual([240, 160]);
    const stored = (await clinic.services.photos.bytesOf(photo.id, 'full'))!;
    expect((await sharp(stored).metadata()).format).toBe('jpeg');
    // The fixture's top-left quadrant is (220, 180, 120), bottom-right (40, 60, 120).
    const [r, g] = await meanColour(stored, { left: 10, top: 10, width: 80, height: 50 });
    expect(r).toBeGreaterThan(190);
    expect(g).toBeGreaterThan(150);
    const [r2] = await meanColour(stored, { left: 150, top: 100, width: 80, height: 50 });
    expect(r2).toBeLessThan(70);
  });

  it('rejects a truncated JPEG and a text file named .jpg, leaving no file and no row', async () => {
    const whole = await plainJpeg(400, 300);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const e1 = await rejection(
      clinic.services.photos.import({
        sessionId,
        kind: 'before',
        view: 'frontal',
        fileName: 'cut.jpg',
        data: truncated,
      }),
    );
    expect([e1.code, e1.field]).toEqual(['invalid_input', 'file']);
    expect(e1.message).toMatch(/damaged or incomplete/);

    const text = Buffer.from('These are my notes, not a photo.\n');
    const e2 = await rejection(
      clinic.services.photos.import({
        sessionId,
        kind: 'before',
        view: 'frontal',
        fileName: 'notes.jpg',
        data: text,
      }),
    );
    expect(e2.message).toMatch(/not a photo NeedleLog can read/);
    expect(photoFiles()).toEqual([]);
    expect(photoRows()).toBe(0);
  });

  it('refuses absurd sizes before decoding', async () => {
    const e = await rejection(
      clinic.services.photos.import({
        sessionId,
        kind: 'before',
        view: 'frontal',
        data: new Uint8Array(61 * 1024 * 1024),
      }),
    );
    expect(e.field).toBe('data');
    expect(e.message).toMatch(/larger than 60 MB/);
    const huge = await sharp({ create: { width: 12000, height: 9000, channels: 3, background: '#888' } })
      .jpeg({ quality: 10 })
      .toBuffer();
    const e2 = await rejection(
      clinic.services.photos.import({ sessionId, kind: 'before', view: 'frontal', data: huge }),
    );
    expect(e2.message).toMatch(/more than 100 megapixels/);
    expect(photoRows()).toBe(0);
  });

  it('imports a batch at once on the worker threads: every size made, a damaged file refused alone', async () => {
    const sources = await Promise.all([1, 2, 3, 4, 5].map((seed) => plainJpeg(2000, 1500, seed)));
    const damaged = sources[2]!.subarray(0, Math.floor(sources[2]!.length * 0.5));
    const views = ['frontal', 'left_oblique', 'right_oblique', 'left_lateral', 'right_lateral'] as const;
    const results = await Promise.allSettled(
      [...sources.slice(0, 2), damaged, ...sources.slice(3)].map((data, i) =>
        clinic.services.photos.import({ sessionId, kind: 'before', view: views[i]!, data }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    const refused = (results[2] as PromiseRejectedResult).reason as AppError;
    expect(refused).toBeInstanceOf(AppError);
    expect([refused.code, refused.field]).toEqual(['invalid_input', 'file']);
    expect(refused.message).toMatch(/damaged or incomplete/);
    const stored = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(new Set(stored.map((p) => p.sha256)).size).toBe(4);
    for (const photo of stored) {
      expect([photo.width, photo.height]).toEqual([2000, 1500]);
      const full = (await clinic.services.photos.bytesOf(photo.id, 'full'))!;
      expect(photo.bytes).toBe(full.byteLength);
      const sizes = await Promise.all(
        (['full', 'preview', 'thumb'] as const).map(async (v) => {
          const m = await sharp((await clinic.services.photos.bytesOf(photo.id, v))!).metadata();
          return [m.format, m.width, m.height, m.chromaSubsampling ?? null, m.exif ?? null];
        }),
      );
      expect(sizes).toEqual([
        ['jpeg', 2000, 1500, '4:4:4', null],
        ['jpeg', 1600, 1200, '4:4:4', null],
        ['jpeg', 320, 240, '4:2:0', null],
      ]);
    }
    expect(photoRows()).toBe(4);
  });

  it('stores the same photo once, files it once per view, and deletes softly with undo', async () => {
    const jpeg = await plainJpeg(300, 200, 7);
    const a = await clinic.services.photos.import({ sessionId, kind: 'before', view: 'frontal', data: jpeg });
    const again = await clinic.services.photos.import({
      sessionId,
      kind: 'before',
      view: 'frontal',
      data: jpeg,
    });
    expect(again.id).toBe(a.id);
    expect(photoFiles()).toHaveLength(3); // the second copy's sealed files are not kept
    const otherView = await clinic.services.photos.import({
      sessionId,
      kind: 'before',
      view: 'close_up',
      data: jpeg,
    });
    expect(otherView.id).not.toBe(a.id);
    expect(photoRows()).toBe(2);
    // full, preview, thumb of each filed photo: equal images get unrelated names and keys.
    expect(photoFiles()).toHaveLength(6);

    clinic.services.photos.delete({ id: a.id });
    expect(await clinic.services.photos.bytesOf(a.id, 'full')).toBeNull();
    const courseId = clinic.services.sessions.get({ id: sessionId }).courseId;
    expect(clinic.services.photos.list({ courseId }).map((p) => p.id)).toEqual([otherView.id]);
    clinic.services.photos.restore({ id: a.id });
    expect(clinic.services.photos.list({ courseId })).toHaveLength(2);
    expect(clinic.services.audit.list({ entity: 'photo', entityId: a.id }).map((e) => e.action)).toEqual([
      'create',
      'delete',
      'restore',
    ]);
  });
});

describe('photo consent', () => {
  /** A small frontal photo of the session. */
  const addPhoto = async (to: string, kind: 'before' | 'after', seed: number) =>
    clinic.services.photos.import({
      sessionId: to,
      kind,
      view: 'frontal',
      data: await plainJpeg(64, 64, seed),
    });

  /** A second session of the course, saved with the form's default photo consent ("none"). */
  function sessionWithoutConsent(): string {
    return clinic.services.sessions.create({
      courseId: clinic.services.sessions.get({ id: sessionId }).courseId,
      practitionerId: clinic.services.settings.get().currentPractitionerId!,
      performedAt: '2026-03-30T10:00:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    }).value.id;
  }

  it('refuses a photo for a session without photo consent, before any file is written', async () => {
    const bare = sessionWithoutConsent();
    const err = await rejection(addPhoto(bare, 'before', 2));
    expect(err.code).toBe('conflict');
    expect(err.field).toBe('photoConsent');
    expect(err.message).toBe(
      'Session 2 has no photo consent recorded. Ask the client and record their photo consent (record only, teaching or marketing) before adding photos.',
    );
    expect(photoRows()).toBe(0);
    expect(photoFiles()).toEqual([]);
  });

  it('records a declined consent (audited), refuses photos saying so, and a later scope clears it', async () => {
    const bare = sessionWithoutConsent();
    clinic.clock.set('2026-03-30T10:20:00Z');
    const declined = clinic.services.photos.consent({ sessionId: bare, answer: 'declined' });
    expect(declined.photoConsent).toBe('none');
    expect(declined.photoConsentDeclinedAt).toBe('2026-03-30T10:20:00.000Z');
    const err = await rejection(addPhoto(bare, 'before', 2));
    expect(err.message).toBe(
      'The client declined photo consent for session 2, so no photo can be added. If they now agree, record their photo consent first.',
    );
    // An ordinary edit of the session keeps the refusal on record…
    clinic.services.sessions.update({ id: bare, patch: { notes: 'Declined photos.' } });
    expect(clinic.services.sessions.get({ id: bare }).photoConsentDeclinedAt).toBe(
      '2026-03-30T10:20:00.000Z',
    );
    // …and a recorded scope replaces it; the photo then carries that scope.
    const agreed = clinic.services.photos.consent({ sessionId: bare, answer: 'teaching' });
    expect([agreed.photoConsent, agreed.photoConsentDeclinedAt]).toEqual(['teaching', null]);
    const photo = await addPhoto(bare, 'before', 2);
    expect(photo.consentScope).toBe('teaching');
    const trail = clinic.services.audit
      .list({ entity: 'session', entityId: bare })
      .map((e) => [e.action, (e.after as { photoConsent: string } | null)?.photoConsent]);
    expect(trail).toEqual([
      ['create', 'none'],
      ['update', 'none'],
      ['update', 'none'],
      ['update', 'teaching'],
    ]);
  });

  it('keeps the scope a photo was filed under when the session’s consent changes later', async () => {
    const photo = await clinic.services.photos.import({
      sessionId,
      kind: 'before',
      view: 'frontal',
      data: await plainJpeg(64, 64, 2),
    });
    expect(photo.consentScope).toBe('record');
    clinic.services.sessions.update({ id: sessionId, patch: { photoConsent: 'marketing' } });
    const courseId = clinic.services.sessions.get({ id: sessionId }).courseId;
    expect(clinic.services.photos.list({ courseId })[0]?.consentScope).toBe('record');
    // Setting consent back to none stops further photos, with the sentence the screen shows.
    clinic.services.sessions.update({ id: sessionId, patch: { photoConsent: 'none' } });
    const err = await rejection(
      clinic.services.photos.import({
        sessionId,
        kind: 'after',
        view: 'frontal',
        data: await plainJpeg(64, 64, 3),
      }),
    );
    expect(err.message).toMatch(/^Session 1 has no photo consent recorded\./);
  });

  it('refuses an answer that is not a scope or "declined"', () => {
    expect(() => clinic.services.photos.consent({ sessionId, answer: 'everything' as 'record' })).toThrow(
      'Choose a valid photo consent.',
    );
  });
});

describe('photos through the browser host', () => {
  it('uploads a file, serves it only at its signed address, and refuses other data dirs’ ids', async () => {
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    clinic.close();
    const hostA = await startTestHost({ dataDir: clinic.dir, rendererDir, log: () => {} });
    await signInHost(hostA, { name: 'Dr Aisha Rahman' });
    const other = openTestClinic();
    const seeded = seedCourse(other);
    const otherSession = other.services.sessions.create({
      courseId: seeded.course.id,
      practitionerId: seeded.practitioner.id,
      performedAt: '2026-03-02T10:00:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
      photoConsent: 'record',
    }).value.id;
    const otherPhoto = await other.services.photos.import({
      sessionId: otherSession,
      kind: 'before',
      view: 'frontal',
      data: await plainJpeg(64, 64, 3),
    });
    other.close();
    try {
      const upload = await fetch(`${hostA.origin}/api/photos.import`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${hostA.secret}`,
          'Content-Type': 'application/octet-stream',
          'X-NeedleLog-Input': encodeURIComponent(
            JSON.stringify({ sessionId, kind: 'after', view: 'frontal' }),
          ),
        },
        body: await sidewaysJpegWithGps(),
      });
      expect(upload.status).toBe(200);
      const reply = (await upload.json()) as { ok: true; value: { id: string; urls: { thumb: string } } };
      const thumbUrl = reply.value.urls.thumb;
      expect(thumbUrl).toMatch(/^\/photo\/[0-9a-f-]{36}\/thumb\?sig=/);
      expect(thumbUrl).not.toContain(hostA.secret);

      const img = await fetch(`${hostA.origin}${thumbUrl}`);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      expect(img.headers.get('cache-control')).toBe('no-store');
      expect((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).exif).toBeUndefined();

      // Another size of the same photo needs its own signature.
      const swapped = thumbUrl.replace('/thumb?', '/full?');
      expect((await fetch(`${hostA.origin}${swapped}`)).status).toBe(401);
      const traversal = await fetch(`${hostA.origin}/photo/..%2f..%2fneedlelog.sqlite/full?sig=x`);
      expect(traversal.status).toBe(401);
      // A photo of another data dir: its address from that clinic means nothing here.
      const foreign = `/photo/${otherPhoto.id}/thumb?sig=${photoSignature(hostA.secret, otherPhoto.id, 'thumb')}`;
      expect((await fetch(`${hostA.origin}${foreign}`)).status).toBe(404);

      const badType = await fetch(`${hostA.origin}/api/photos.import`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${hostA.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ sessionId, kind: 'after', view: 'frontal', data: 'aGVsbG8=' }),
      });
      expect(badType.status).toBe(415);
    } finally {
      await hostA.close();
      clinic = openTestClinic(clinic.dir); // for afterEach
    }
  });
});

describe('needlelog check and photos', () => {
  it('reports photo files missing on disk and files no row points to', async () => {
    const photo = await clinic.services.photos.import({
      sessionId,
      kind: 'before',
      view: 'frontal',
      data: await plainJpeg(80, 60, 5),
    });
    const check = () =>
      needlelog('check', '--data-dir', clinic.dir).then((r) => ({ code: r.code, out: r.stdout }));
    clinic.db.pragma('wal_checkpoint(TRUNCATE)');
    const ok = await check();
    expect(ok.out).toContain('photos: 1 stored, all present');
    expect(ok.code).toBe(0);

    const fileId = photoFileOf(clinic.db, photo.id)!.fileId;
    clinic.close();
    const full = path.join(clinic.dir, 'photos', 'full', fileId.slice(0, 2), `${fileId}.nlp`);
    fs.renameSync(full, `${full}.moved`);
    const stray = path.join(clinic.dir, 'photos', 'full', 'ab', `${'ab'.padEnd(32, '0')}.nlp`);
    fs.mkdirSync(path.dirname(stray), { recursive: true });
    fs.writeFileSync(stray, 'x');
    const bad = await check();
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/photos: 1 missing on disk/);
    expect(bad.out).toMatch(/1 file\(s\) no record points to/);
    clinic = openTestClinic(clinic.dir);
  });
});
