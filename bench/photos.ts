/** Photo import figures for `npm run bench`: ours next to bare sharp baselines, one file and a batch of 20. */
import os from 'node:os';
import { type Db } from '../db/connection.js';
import sharp, { type JpegOptions } from 'sharp';
import { PHOTO_VIEW_KEYS } from '../contract/domain.js';
import { percentile } from './clinicFixture.js';
import { seededRandom } from '../electron/services/demo.js';
import { type Services } from '../electron/services/index.js';
import type { createFigures } from './figures.js';
import { STORED_JPEG } from '../electron/services/photoPipeline.js';

type Figures = ReturnType<typeof createFigures>;

/** A camera-like JPEG: noise over a gradient, so the encoder has real work to do, with EXIF, GPS and orientation. */
export async function cameraJpeg(
  width: number,
  height: number,
  seed: number,
  quality: number,
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  const rnd = seededRandom(seed);
  for (let i = 0; i < raw.length; i += 3) {
    const x = (i / 3) % width;
    raw[i] = (x * 255) / width + rnd() * 40;
    raw[i + 1] = 120 + rnd() * 60;
    raw[i + 2] = 200 - (x * 100) / width;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .withExif({ IFD0: { Make: 'BenchCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality })
    .toBuffer();
}

/** Twenty phone photos (4032×3024, 3–4.5 MB), all different: one noisy frame, shifted in tone and quality. */
async function phoneBatch(): Promise<Buffer[]> {
  const base = await cameraJpeg(4032, 3024, 20, 95);
  const raw = await sharp(base).raw().toBuffer({ resolveWithObject: true });
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 3 } })
        .linear(1 - i / 100, i)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 85 + (i % 6) })
        .toBuffer(),
    ),
  );
}

/** The least work that storing an upright, metadata-free copy needs: decode, rotate, encode, once. */
const bareStore = (jpeg: Buffer, jpegOptions: JpegOptions = STORED_JPEG) =>
  sharp(jpeg).rotate().jpeg(jpegOptions).toBuffer();

/** Runs `tasks` with at most `width` at a time; resolves when all are done. */
async function inParallel(width: number, tasks: (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

/** One photo through the whole import (decode, orient, strip, sRGB, 3 sizes, hash, fsync, row), then a batch. */
export async function photoFigures(services: Services, db: Db, bench: Figures): Promise<void> {
  const jpeg = await cameraJpeg(4000, 3000, 12, 90);
  const sessionIds = db.prepare(`SELECT id FROM sessions LIMIT 40`).pluck().all() as string[];
  // Photos are filed only under a session with photo consent recorded.
  for (const sessionId of sessionIds.slice(0, 21)) services.photos.consent({ sessionId, answer: 'record' });
  const N = Number(process.env.BENCH_PHOTOS ?? 8);
  const ours: number[] = [];
  const bare: number[] = [];
  const bareDefault: number[] = [];
  const resize: number[] = [];
  for (let i = 0; i < N; i++) {
    // A different view each time, so every import files a row (the same image is stored once).
    const t = performance.now();
    await services.photos.import({
      sessionId: sessionIds[0]!,
      kind: i % 2 ? 'after' : 'before',
      view: PHOTO_VIEW_KEYS[i % 6]!,
      data: jpeg,
    });
    ours.push(performance.now() - t);
    let u = performance.now();
    await bareStore(jpeg);
    bare.push(performance.now() - u);
    u = performance.now();
    await bareStore(jpeg, {});
    bareDefault.push(performance.now() - u);
    u = performance.now();
    await sharp(jpeg).resize(1600, 1600, { fit: 'inside' }).jpeg().toBuffer();
    resize.push(performance.now() - u);
  }
  const mb = (jpeg.byteLength / 1024 / 1024).toFixed(1);
  const what = `photo import, 12 MP JPEG (${mb} MB), full pipeline, p50 of ${N}`;
  bench.add('photoImport', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bare, 50),
    baselineWhat: 'bare sharp decode → rotate → encode at the stored settings',
    goal: '≤ 1.3×',
  });
  bench.add('photoImportVsDefaultEncode', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bareDefault, 50),
    baselineWhat: "bare sharp decode → rotate → encode at sharp's defaults (q80 4:2:0)",
  });
  bench.add('photoImportVsResize', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(resize, 50),
    baselineWhat: 'bare sharp resize to 1600 px',
  });

  // A batch of 20 phone photos into one session, as the photo panel sends them: as many at a time as
  // the machine has cores.
  const photos = await phoneBatch();
  const sizes = photos.map((p) => p.byteLength / 1024 / 1024);
  const width = os.availableParallelism();
  const t = performance.now();
  await inParallel(
    width,
    photos.map(
      (data, i) => () =>
        services.photos.import({ sessionId: sessionIds[1 + i]!, kind: 'before', view: 'frontal', data }),
    ),
  );
  const oursBatch = performance.now() - t;
  const u = performance.now();
  await inParallel(
    width,
    photos.map((data) => () => bareStore(data)),
  );
  const bareBatch = performance.now() - u;
  const stored =
    (db
      .prepare(`SELECT sum(bytes) FROM photos WHERE session_id IN (SELECT value FROM json_each(?))`)
      .pluck()
      .get(JSON.stringify(sessionIds.slice(1, 21))) as number) /
    1024 /
    1024;
  bench.add('photoBatch20', {
    what: `batch of 20 phone photos (4032×3024, ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} MB, ${sizes.reduce((a, b) => a + b, 0).toFixed(1)} MB in, ${stored.toFixed(1)} MB stored full-size), ${width} at a time`,
    unit: 's',
    ours: oursBatch / 1000,
    baseline: bareBatch / 1000,
    baselineWhat: `bare decode → rotate → encode of the same 20, ${width} at a time`,
    goal: '≤ half of 7.76 s',
  });
}
