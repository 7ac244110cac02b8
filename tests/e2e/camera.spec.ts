import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base } from '@playwright/test';
import sharp from 'sharp';
import { jpegAppMarkers, meanColour } from '../support/images.js';
import { api, axeViolations, importPhoto, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Camera capture in Chromium with a fake capture device fed from a video file made here: the
// session's missing Before views walked through with the ghost of session 1's same view over the
// live picture, one view skipped, and each captured frame stored like an imported photo.
//
// The video is a Y4M file written by this test (a text header, then raw I420 frames) rather than
// made with ffmpeg: the test knows every pixel it feeds the camera (red left half, blue right half,
// so the stored photo can be checked the right way round), it needs no extra Debian package, and it
// takes a few milliseconds.

const WIDTH = 640;
const HEIGHT = 480;

/** BT.601 (studio range) Y, U, V of pure red and pure blue. */
const RED = [81, 90, 240] as const;
const BLUE = [41, 240, 110] as const;

/** A Y4M video, `frames` frames of WIDTH×HEIGHT 4:2:0: the left half red, the right half blue. */
function writeY4m(file: string, frames: number): void {
  const ySize = WIDTH * HEIGHT;
  const cw = WIDTH / 2;
  const cSize = cw * (HEIGHT / 2);
  const frame = Buffer.alloc(ySize + 2 * cSize);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) frame[y * WIDTH + x] = (x < WIDTH / 2 ? RED : BLUE)[0];
  }
  for (let y = 0; y < HEIGHT / 2; y++) {
    for (let x = 0; x < cw; x++) {
      const c = x < cw / 2 ? RED : BLUE;
      frame[ySize + y * cw + x] = c[1];
      frame[ySize + cSize + y * cw + x] = c[2];
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\n`, 'latin1');
  const parts: Buffer[] = [header];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from('FRAME\n', 'latin1'), frame);
  fs.writeFileSync(file, Buffer.concat(parts));
}

// The browser of this spec gets a fake camera: the video is written before the browser starts.
const test = base.extend<object, { fakeVideo: string }>({
  fakeVideo: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-camera-'));
      const file = path.join(dir, 'camera.y4m');
      writeY4m(file, 15);
      await use(file);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  launchOptions: [
    async ({ launchOptions, fakeVideo }, use) => {
      await use({
        ...launchOptions,
        args: [
          ...(launchOptions.args ?? []),
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${fakeVideo}`,
        ],
      });
    },
    { scope: 'worker' },
  ],
});

function solid(r: number, g: number, b: number): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
}

interface StoredPhoto {
  id: string;
  sessionId: string;
  kind: string;
  view: string;
  width: number;
  height: number;
  consentScope: string | null;
  urls: { preview: string; full: string };
}

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('the camera walks through the missing views with the ghost of session 1, captures stored like imports', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-03-02',
  });
  const first = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00.000Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    photoConsent: 'record',
  });
  // Session 1 has a frontal and a left-oblique Before (the ghosts); no right oblique, no close-up.
  for (const [view, photo] of [
    ['frontal', await solid(40, 170, 70)],
    ['left_oblique', await solid(230, 200, 40)],
  ] as const) {
    await importPhoto(host, { sessionId: first.id, kind: 'before', view }, photo);
  }
  const ghosts = new Map(
    (await api<StoredPhoto[]>(host, 'photos.list', { courseId: course.id })).map((p) => [p.view, p]),
  );
  // Session 2: no photo consent yet, so the camera asks for it first.
  const second = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-30T10:00:00.000Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.45 }],
  });

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toBeVisible();
  await page.goto(`${host.origin}/#/sessions/${second.id}/edit`);
  const photos = page.getByRole('region', { name: 'Photos of session 2' });
  const set = photos.getByRole('group', { name: /Standard photo set/ });
  await expect(set.getByText('4 of 4 views missing')).toHaveCount(2);

  await set.getByRole('button', { name: 'Take missing Before views' }).click();
  const dialog = page.getByRole('dialog', { name: 'Photo consent for session 2' });
  await expect(dialog).toContainText('The camera opens once consent is recorded.');
  await dialog.getByRole('radio', { name: /Record only/ }).check();
  await dialog.getByRole('button', { name: 'Record consent and continue' }).click();
  await expect(dialog).toBeHidden();

  // ---------- the camera is live, on the first missing view, with session 1's frontal as ghost ----------
  const camera = photos.getByRole('region', { name: 'Camera' });
  const take = camera.getByRole('button', { name: 'Take photo' });
  await expect(take).toBeEnabled();
  const video = camera.getByLabel('Live camera picture');
  await expect
    .poll(() =>
      video.evaluate((v) => {
        const el = v as unknown as { videoWidth: number; videoHeight: number };
        return [el.videoWidth, el.videoHeight];
      }),
    )
    .toEqual([WIDTH, HEIGHT]);
  const steps = camera.getByRole('list', { name: 'Missing Before views' });
  await expect(steps.getByRole('listitem')).toHaveText([
    /Frontal\s*now/,
    /Left oblique \(45°\)\s*to do/,
    /Right oblique \(45°\)\s*to do/,
    /Close-up\s*to do/,
  ]);
  await expect(camera).toContainText('Missing Before views: 1 of 4');
  await expect(camera).toContainText('Next photo: Before · Frontal');
  const ghost = camera.locator('img.ph-camera-ghost');
  await expect(ghost).toHaveAttribute('src', ghosts.get('frontal')!.urls.preview);
  await expect(
    camera.getByRole('checkbox', { name: 'Ghost overlay (session 1 before, frontal)' }),
  ).toBeChecked();
  await expect
    .poll(() => ghost.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBeGreaterThan(0);
  await screenshot(page, '65-camera-walk-ghost', camera);
  expect(await axeViolations(page), 'axe on the camera walk-through').toEqual([]);

  // Take the frontal: on to the left oblique, whose ghost is session 1's left oblique.
  await take.click();
  await expect(camera).toContainText('Next photo: Before · Left oblique (45°)');
  await expect(ghost).toHaveAttribute('src', ghosts.get('left_oblique')!.urls.preview);
  await expect(steps.getByRole('listitem').first()).toHaveText(/Frontal\s*taken/);
  await expect(photos.getByRole('combobox', { name: 'View' })).toHaveValue('left_oblique');

  // Skip it: the right oblique has no earlier photo, so no ghost.
  await camera.getByRole('button', { name: 'Skip this view' }).click();
  await expect(camera).toContainText('Next photo: Before · Right oblique (45°)');
  await expect(steps.getByRole('listitem').nth(1)).toHaveText(/Left oblique \(45°\)\s*skipped/);
  await expect(ghost).toHaveCount(0);
  await expect(camera).toContainText('No earlier photo of this view yet');
  await screenshot(page, '66-camera-walk-no-ghost', camera);
  await take.click();
  await expect(camera).toContainText('Next photo: Before · Close-up');
  await take.click();

  // Through: the walk says what was taken and skipped; the camera stays open for any other photo.
  await expect(photos.getByRole('status').filter({ hasText: 'Missing Before views' })).toHaveText(
    'Missing Before views: 3 taken, skipped: Left oblique (45°). The camera stays open for any other photo.',
  );
  await expect(steps).toHaveCount(0);
  const before = set.getByRole('list', { name: 'Before views' });
  await expect(before.getByRole('listitem')).toHaveText([
    /Frontal\s*taken/,
    /Left oblique \(45°\)\s*missing/,
    /Right oblique \(45°\)\s*taken/,
    /Close-up\s*taken/,
  ]);
  await expect(set.getByText('1 of 4 views missing')).toBeVisible();
  await screenshot(page, '67-camera-walk-done', set);
  expect(await axeViolations(page), 'axe on the session page after the walk').toEqual([]);

  // ---------- stored like an import: in the store, upright, no metadata, the camera's pixels ----------
  const taken = (await api<StoredPhoto[]>(host, 'photos.list', { courseId: course.id })).filter(
    (p) => p.sessionId === second.id,
  );
  expect(taken.map((p) => `${p.kind} ${p.view}`).sort()).toEqual([
    'before close_up',
    'before frontal',
    'before right_oblique',
  ]);
  for (const p of taken) {
    expect(p.consentScope).toBe('record');
    expect([p.width, p.height]).toEqual([WIDTH, HEIGHT]);
    const response = await fetch(`${host.origin}${p.urls.full}`);
    expect(response.status).toBe(200);
    const stored = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([WIDTH, HEIGHT]);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(jpegAppMarkers(stored).filter((m) => m !== 0xe0)).toEqual([]);
    const [lr, lg, lb] = await meanColour(stored, { left: 40, top: 40, width: 200, height: 400 });
    const [rr, rg, rb] = await meanColour(stored, { left: 400, top: 40, width: 200, height: 400 });
    expect(lr, 'left half red').toBeGreaterThan(180);
    expect(Math.max(lg, lb)).toBeLessThan(90);
    expect(rb, 'right half blue').toBeGreaterThan(180);
    expect(Math.max(rr, rg)).toBeLessThan(90);
  }

  // The tiles show them like imported photos, with their consent.
  const tiles = photos.getByRole('list', { name: 'Photos of session 2' }).getByRole('listitem');
  await expect(tiles).toHaveCount(3);
  await expect(tiles.first()).toContainText('Photo consent: Record only');

  await camera.getByRole('button', { name: 'Close camera' }).click();
  await expect(camera).toHaveCount(0);
  expect(watch.errors).toEqual([]);
});
