import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { api, postPhoto, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// The comparison and the photo tiles checked with pixels in Chromium: solid-colour photos of
// different shapes (landscape and portrait), screenshots of the stage and the tiles, and the colour
// at chosen points on each side of the divider and in the margins. Then photo consent: asked before
// the first photo of a session that has none, declined, recorded, and shown on the photo.

const PALETTE = {
  red: [220, 40, 40],
  blue: [40, 70, 210],
  green: [40, 170, 70],
  yellow: [230, 200, 40],
  /** The comparison's opaque stage (#111). */
  stage: [17, 17, 17],
  /** A tile's frame around a photo narrower than it (#dfe5e9). */
  tile: [223, 229, 233],
} as const;
type Colour = keyof typeof PALETTE;

function solidJpeg(width: number, height: number, colour: Colour): Promise<Buffer> {
  const [r, g, b] = PALETTE[colour];
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/**
 * The palette colour nearest each point of an element's screenshot (points as fractions of its
 * width and height, each averaged over 5×5 pixels), or "other" when nothing is near.
 */
async function coloursAt(element: Locator, points: readonly [number, number][]): Promise<string[]> {
  const png = await element.screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return points.map(([fx, fy]) => {
    const cx = Math.round(fx * (info.width - 1));
    const cy = Math.round(fy * (info.height - 1));
    const sum = [0, 0, 0];
    let n = 0;
    for (let y = Math.max(0, cy - 2); y <= Math.min(info.height - 1, cy + 2); y++) {
      for (let x = Math.max(0, cx - 2); x <= Math.min(info.width - 1, cx + 2); x++) {
        const i = (y * info.width + x) * info.channels;
        for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
        n++;
      }
    }
    const rgb = sum.map((v) => v / n);
    let best = 'other';
    let bestDistance = 45;
    for (const [name, ref] of Object.entries(PALETTE)) {
      const d = Math.max(...ref.map((v, c) => Math.abs(v - rgb[c]!)));
      if (d < bestDistance) [best, bestDistance] = [name, d];
    }
    return best;
  });
}

async function imagesLoaded(scope: Locator): Promise<void> {
  // Thumbnails load lazily: as a user would, bring them into view first (where they sit depends on
  // the header's height, which the main navigation changes).
  await scope.scrollIntoViewIfNeeded();
  await expect
    .poll(() =>
      scope
        .locator('img')
        .evaluateAll((imgs) =>
          imgs.every((i) => (i as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0),
        ),
    )
    .toBe(true);
}

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('comparison of a landscape and a portrait photo: each side shows only its own photo, at one scale', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'cheeks',
    indication: 'acne_scars',
    startedOn: '2026-03-02',
  });
  const sessions: { id: string }[] = [];
  for (const performedAt of ['2026-03-02T10:00:00.000Z', '2026-03-30T10:00:00.000Z']) {
    sessions.push(
      await api<{ id: string }>(host, 'sessions.create', {
        courseId: course.id,
        practitionerId: practitioner.id,
        performedAt,
        zones: [{ zone: 'cheek_left', depthMm: 1.5 }],
        photoConsent: 'record',
      }),
    );
  }
  const [s1, s2] = [sessions[0]!.id, sessions[1]!.id];
  // Frontal: a landscape Before (16:10) against a portrait After (5:8). Left oblique: the other way round.
  for (const [sessionId, kind, view, photo] of [
    [s1, 'before', 'frontal', await solidJpeg(800, 500, 'red')],
    [s2, 'after', 'frontal', await solidJpeg(500, 800, 'blue')],
    [s1, 'before', 'left_oblique', await solidJpeg(500, 800, 'green')],
    [s2, 'after', 'left_oblique', await solidJpeg(800, 500, 'yellow')],
  ] as const) {
    const reply = await postPhoto(host, { sessionId, kind, view }, photo);
    expect(reply.status, await reply.clone().text()).toBe(200);
  }

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toBeVisible();
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  const timeline = page.getByRole('region', { name: 'Photos', exact: true });
  const frontal = timeline.getByRole('list', { name: 'Frontal' });
  await expect(frontal.getByRole('listitem')).toHaveCount(2);
  await imagesLoaded(timeline);

  // ---------- tiles: the whole photo, delete apart from the selection target ----------
  const landscapeTile = frontal.getByRole('button', { name: /^Select Session 1 Before/ });
  // Red from edge to edge across the middle (nothing cropped), the frame's margin above and below.
  expect(
    await coloursAt(landscapeTile.locator('.ph-frame'), [
      [0.02, 0.5],
      [0.5, 0.5],
      [0.98, 0.5],
      [0.5, 0.08],
      [0.5, 0.92],
    ]),
  ).toEqual(['red', 'red', 'red', 'tile', 'tile']);
  const portraitTile = frontal.getByRole('button', { name: /^Select Session 2 After/ });
  expect(
    await coloursAt(portraitTile.locator('.ph-frame'), [
      [0.5, 0.02],
      [0.5, 0.98],
      [0.08, 0.5],
      [0.92, 0.5],
    ]),
  ).toEqual(['blue', 'blue', 'tile', 'tile']);
  const pick = (await landscapeTile.boundingBox())!;
  const del = (await frontal.getByRole('button', { name: /^Delete Session 1 Before/ }).boundingBox())!;
  expect(del.y, 'the delete control sits below the tile, not on it').toBeGreaterThanOrEqual(
    pick.y + pick.height,
  );
  await expect(landscapeTile).toContainText('Photo consent: Record only');
  await screenshot(page, '36-photos-tiles-whole', timeline);

  // ---------- slider: landscape Before, portrait After ----------
  await landscapeTile.click();
  await portraitTile.click();
  await timeline.getByRole('button', { name: 'Compare selected' }).click();
  const comparison = page.getByRole('region', { name: 'Photo comparison' });
  await expect(comparison.getByRole('heading')).toContainText('Session 1 Before vs Session 2 After');
  const slider = comparison.getByRole('slider', { name: 'Comparison slider' });
  const stage = slider.locator('..');
  await imagesLoaded(stage);
  const box = (await stage.boundingBox())!;
  // One frame as wide as the wider photo: 16:10.
  expect(box.width / box.height).toBeCloseTo(1.6, 1);
  // The portrait After fills the frame's height, 5/8 of it wide: x from 0.305 to 0.695.
  const row = (xs: number[]) => xs.map((x) => [x, 0.75] as [number, number]);
  await expect(slider).toHaveAttribute('aria-valuenow', '50');
  await expect(comparison).toContainText(
    'Photo consent: Session 1 Before, Record only · Session 2 After, Record only',
  );
  expect(await coloursAt(stage, row([0.1, 0.4, 0.6, 0.85]))).toEqual(['red', 'red', 'blue', 'stage']);
  await screenshot(page, '37-photos-compare-mixed-shapes', comparison);

  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveAttribute('aria-valuenow', '20');
  expect(await coloursAt(stage, row([0.1, 0.25, 0.5, 0.9]))).toEqual(['red', 'stage', 'blue', 'stage']);
  await page.keyboard.press('Home');
  await expect(slider).toHaveAttribute('aria-valuenow', '0');
  expect(await coloursAt(stage, row([0.1, 0.5, 0.9]))).toEqual(['stage', 'blue', 'stage']);
  await page.keyboard.press('End');
  await expect(slider).toHaveAttribute('aria-valuenow', '100');
  expect(await coloursAt(stage, row([0.1, 0.5, 0.9]))).toEqual(['red', 'red', 'red']);

  // ---------- side by side: two frames of one size; each photo at the frame's full height ----------
  await comparison.getByRole('button', { name: 'Side by side' }).click();
  const figures = comparison.getByRole('figure');
  await expect(figures).toHaveCount(2);
  const frames = [figures.nth(0).locator('.ph-side-frame'), figures.nth(1).locator('.ph-side-frame')];
  await imagesLoaded(comparison);
  const [a, b] = [(await frames[0]!.boundingBox())!, (await frames[1]!.boundingBox())!];
  expect(Math.abs(a.width - b.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(a.height - b.height)).toBeLessThanOrEqual(1);
  expect(a.width / a.height).toBeCloseTo(1.6, 1);
  expect(
    await coloursAt(frames[0]!, [
      [0.03, 0.5],
      [0.97, 0.5],
      [0.5, 0.03],
      [0.5, 0.97],
    ]),
  ).toEqual(['red', 'red', 'red', 'red']);
  expect(
    await coloursAt(frames[1]!, [
      [0.1, 0.5],
      [0.9, 0.5],
      [0.5, 0.03],
      [0.5, 0.97],
    ]),
  ).toEqual(['stage', 'stage', 'blue', 'blue']);
  await screenshot(page, '38-photos-side-by-side-mixed-shapes', comparison);

  // ---------- slider the other way round: portrait Before, landscape After ----------
  await comparison.getByRole('button', { name: 'Close comparison' }).click();
  const oblique = timeline
    .locator('.ph-timeline')
    .filter({ has: page.getByRole('heading', { name: /Left oblique/ }) });
  await oblique.getByRole('button', { name: 'Compare first and latest' }).click();
  await expect(comparison.getByRole('heading')).toContainText('Session 1 Before vs Session 2 After');
  await comparison.getByRole('button', { name: 'Slider' }).click();
  await imagesLoaded(stage);
  // The green Before spans x 0.305–0.695; left of the divider beyond it is the stage, never yellow.
  expect(await coloursAt(stage, row([0.1, 0.4, 0.6, 0.9]))).toEqual(['stage', 'green', 'yellow', 'yellow']);
  await screenshot(page, '39-photos-compare-portrait-before', comparison);

  expect(watch.errors).toEqual([]);
});

test('photo consent is asked before the first photo, can be declined, and is shown on each photo', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-03-02',
  });
  // Saved with the form's default photo consent: none.
  const session = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00.000Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
  });
  const photo = { name: 'lips-before.jpg', mimeType: 'image/jpeg', buffer: await solidJpeg(900, 600, 'red') };

  // The service refuses too, whatever a screen does.
  const refused = await postPhoto(
    host,
    { sessionId: session.id, kind: 'before', view: 'frontal' },
    photo.buffer,
  );
  expect(refused.status).toBe(409);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
    'Session 1 has no photo consent recorded. Ask the client and record their photo consent (record only, teaching or marketing) before adding photos.',
  );

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toBeVisible();
  await page.goto(`${host.origin}/#/sessions/${session.id}/edit`);
  const photos = page.getByRole('region', { name: 'Photos of session 1' });
  await expect(photos.getByText('No photo consent recorded yet.')).toBeVisible();
  const dialog = page.getByRole('dialog', { name: 'Photo consent for session 1' });

  // The camera waits for consent too; Cancel records nothing and opens nothing.
  await photos.getByRole('button', { name: 'Use camera' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('The camera opens once consent is recorded.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(photos.getByRole('button', { name: 'Use camera' })).toHaveAttribute('aria-expanded', 'false');

  // A file: asked first. Choosing nothing and recording says what is missing.
  await photos.getByLabel('Add photos from files').setInputFiles([photo]);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('The photo is added once consent is recorded.');
  await expect(dialog.getByRole('radio', { name: /Record only/ })).toBeFocused();
  await dialog.getByRole('button', { name: 'Record consent and continue' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Choose what the client agreed to, or record that they declined.',
  );
  await screenshot(page, '40-photo-consent-asked', dialog);

  // Declined: nothing imported, the refusal kept with the session.
  await dialog.getByRole('button', { name: 'Client declined' }).click();
  await expect(dialog).toBeHidden();
  await expect(photos.getByRole('status').first()).toContainText('The client declined photo consent');
  await expect(photos.getByText('The client declined photo consent', { exact: false }).first()).toBeVisible();
  await expect(photos.getByText('No photos for this session yet.')).toBeVisible();
  const declined = await api<{ photoConsent: string; photoConsentDeclinedAt: string | null }>(
    host,
    'sessions.get',
    { id: session.id },
  );
  expect(declined.photoConsent).toBe('none');
  expect(declined.photoConsentDeclinedAt).not.toBeNull();
  await screenshot(page, '41-photo-consent-declined', photos);

  // Later the client agrees to teaching use: recorded, then the waiting photo is imported under it.
  await photos.getByLabel('Add photos from files').setInputFiles([photo]);
  await expect(dialog).toContainText('The client declined photo consent for this session on');
  await dialog.getByRole('radio', { name: /Teaching/ }).check();
  await dialog.getByRole('button', { name: 'Record consent and continue' }).click();
  await expect(dialog).toBeHidden();
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(photos.getByText('Photo consent: Teaching.')).toBeVisible();
  const tile = photos.getByRole('list', { name: 'Photos of session 1' }).getByRole('listitem');
  await expect(tile).toHaveCount(1);
  await expect(tile).toContainText('Photo consent: Teaching');
  await imagesLoaded(tile);
  // The whole landscape photo in its tile.
  expect(
    await coloursAt(tile.locator('.ph-frame'), [
      [0.02, 0.5],
      [0.98, 0.5],
      [0.5, 0.08],
    ]),
  ).toEqual(['red', 'red', 'tile']);
  await screenshot(page, '42-photo-consent-recorded', photos);

  const saved = await api<{ photoConsent: string; photoConsentDeclinedAt: string | null }>(
    host,
    'sessions.get',
    {
      id: session.id,
    },
  );
  expect([saved.photoConsent, saved.photoConsentDeclinedAt]).toEqual(['teaching', null]);
  const list = await api<{ consentScope: string | null }[]>(host, 'photos.list', { courseId: course.id });
  expect(list.map((p) => p.consentScope)).toEqual(['teaching']);
  // A second photo goes straight in: consent is now recorded.
  await photos.getByRole('radio', { name: 'After' }).check();
  await photos
    .getByLabel('Add photos from files')
    .setInputFiles([{ ...photo, name: 'lips-after.jpg', buffer: await solidJpeg(600, 900, 'blue') }]);
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(tile).toHaveCount(2);

  // The form shows the recorded consent; widened there and saved, it applies to the next photo only.
  const marketing = page.getByRole('radio', { name: 'Marketing', exact: true });
  await expect(page.getByRole('radio', { name: 'Teaching', exact: true })).toBeChecked();
  await marketing.check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(photos.getByText('Photo consent: Marketing.')).toBeVisible();
  await photos.getByRole('radio', { name: 'Follow-up' }).check();
  await photos
    .getByLabel('Add photos from files')
    .setInputFiles([{ ...photo, name: 'lips-follow-up.jpg', buffer: await solidJpeg(600, 600, 'green') }]);
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(tile).toHaveCount(3);
  const scopes = await api<{ kind: string; consentScope: string | null }[]>(host, 'photos.list', {
    courseId: course.id,
  });
  expect(Object.fromEntries(scopes.map((p) => [p.kind, p.consentScope]))).toEqual({
    before: 'teaching',
    after: 'teaching',
    follow_up: 'marketing',
  });

  expect(watch.errors).toEqual([]);
});
