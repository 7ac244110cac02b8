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

/**
 * Twenty phone photos (4032×3024, 3–4.5 MB), all different: one noisy frame, shifted in tone and
 * quality. Orientation 6 as phone portraits are (stored sideways), or 1 for photos taken upright.
 */
async function phoneBatch(orientation: 1 | 6): Promise<Buffer[]> {
  const base = await cameraJpeg(4032, 3024, 20, 95);
  const raw = await sharp(base).raw().toBuffer({ resolveWithObject: true });
  return Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 3 } })
        .linear(1 - i / 100, i)
        .withExif({ IFD0: { Make: 'BenchCam', Model: `Phone ${i}` } })
        .withMetadata({ orientation })
        .jpeg({ quality: 85 + (i % 6) })
        .toBuffer(),
    ),
  );
}

/** The least work that storing an upright, metadata-free copy needs: decode, rotate, encode, once. */
const bareStore = (jpeg: Buffer, jpegOptions: JpegOptions = STORED_JPEG) =>
  sharp(jpeg).rotate().jpeg(jpegOptions).toBuffer();
/** The full size's settings before optimised Huffman coding was dropped (same pixels, 2–3 % smaller). */
const FORMER_STORED_JPEG: JpegOptions = { ...STORED_JPEG, optimiseCoding: true };

/** Wall time and CPU time (all threads of the process: the photo workers and sharp's) of `fn`, ms. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

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
  const sessionIds = db.prepare(`SELECT id FROM sessions LIMIT 41`).pluck().all() as string[];
  // Photos are filed only under a session with photo consent recorded.
  for (const sessionId of sessionIds) services.photos.consent({ sessionId, answer: 'record' });
  const N = Number(process.env.BENCH_PHOTOS ?? 8);
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const bare: number[] = [];
  const bareCpu: number[] = [];
  const bareFormer: number[] = [];
  const bareDefault: number[] = [];
  const resize: number[] = [];
  for (let i = 0; i < N; i++) {
    // A different view each time, so every import files a row (the same image is stored once).
    const o = await timed(() =>
      services.photos.import({
        sessionId: sessionIds[0]!,
        kind: i % 2 ? 'after' : 'before',
        view: PHOTO_VIEW_KEYS[i % 6]!,
        data: jpeg,
      }),
    );
    ours.push(o.wall);
    oursCpu.push(o.cpu);
    const b = await timed(() => bareStore(jpeg));
    bare.push(b.wall);
    bareCpu.push(b.cpu);
    let u = performance.now();
    await bareStore(jpeg, FORMER_STORED_JPEG);
    bareFormer.push(performance.now() - u);
    u = performance.now();
    await bareStore(jpeg, {});
    bareDefault.push(performance.now() - u);
    u = performance.now();
    await sharp(jpeg).resize(1600, 1600, { fit: 'inside' }).jpeg().toBuffer();
    resize.push(performance.now() - u);
  }
  const mb = (jpeg.byteLength / 1024 / 1024).toFixed(1);
  const what = `photo import, 12 MP JPEG (${mb} MB, orientation 6), full pipeline, p50 of ${N}`;
  console.log(`  load average at the photo step: ${load()}`);
  bench.add('photoImport', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bare, 50),
    baselineWhat: 'bare sharp decode → rotate → encode at the stored settings',
    goal: '≤ 1.3×',
  });
  bench.add('photoImportCpu', {
    what: `${what}, CPU time`,
    unit: 'ms',
    ours: percentile(oursCpu, 50),
    baseline: percentile(bareCpu, 50),
    baselineWhat: 'bare sharp decode → rotate → encode at the stored settings, CPU time',
    goal: '≤ 1.3×',
  });
  bench.add('photoImportVsFormerEncode', {
    what,
    unit: 'ms',
    ours: percentile(ours, 50),
    baseline: percentile(bareFormer, 50),
    baselineWhat: 'bare sharp decode → rotate → encode at the former stored settings (optimised Huffman)',
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
  // the machine has cores. Sideways (orientation 6, as phone portraits are: re-encoded upright) and
  // upright (orientation 1: the camera's data kept, see jpegLossless.ts).
  const width = os.availableParallelism();
  for (const orientation of [6, 1] as const) {
    const photos = await phoneBatch(orientation);
    const sessions = sessionIds.slice(orientation === 6 ? 1 : 21, orientation === 6 ? 21 : 41);
    const sizes = photos.map((p) => p.byteLength / 1024 / 1024);
    console.log(`  load average before the orientation-${orientation} batch: ${load()}`);
    const ours = await timed(() =>
      inParallel(
        width,
        photos.map(
          (data, i) => () =>
            services.photos.import({ sessionId: sessions[i]!, kind: 'before', view: 'frontal', data }),
        ),
      ),
    );
    const bare = await timed(() =>
      inParallel(
        width,
        photos.map((data) => () => bareStore(data)),
      ),
    );
    const stored =
      (db
        .prepare(`SELECT sum(bytes) FROM photos WHERE session_id IN (SELECT value FROM json_each(?))`)
        .pluck()
        .get(JSON.stringify(sessions)) as number) /
      1024 /
      1024;
    const key = orientation === 6 ? 'photoBatch20' : 'photoBatch20Upright';
    const what = `batch of 20 phone photos, orientation ${orientation} (4032×3024, ${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} MB, ${sizes.reduce((a, b) => a + b, 0).toFixed(1)} MB in, ${stored.toFixed(1)} MB stored full-size), ${width} at a time`;
    bench.add(key, {
      what,
      unit: 's',
      ours: ours.wall / 1000,
      baseline: bare.wall / 1000,
      baselineWhat: `bare decode → rotate → encode of the same 20, ${width} at a time`,
      goal: '≤ half of 7.76 s',
    });
    bench.add(`${key}Cpu`, {
      what: `${what}, CPU time`,
      unit: 's',
      ours: ours.cpu / 1000,
      baseline: bare.cpu / 1000,
      baselineWhat: 'the same bare batch, CPU time',
    });
  }
}
