import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { api, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Before/after photos through the browser host in Chromium: two sessions seeded through the API,
// photos uploaded to both through the UI (a bad file among them), the course timeline, and the
// comparison with its slider driven by mouse and keyboard.

/**
 * A synthetic portrait photo (600×750): a face-like oval whose redness is stronger before than
 * after, and a session mark, so the two sides of a comparison look visibly different.
 */
async function facePhoto(session: number, kind: 'before' | 'after'): Promise<Buffer> {
  const red = kind === 'before' ? 0.55 - session * 0.12 : 0.2;
  const bg = session === 1 ? '#cfd9e0' : '#d9d2e6';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="750">
    <rect width="600" height="750" fill="${bg}"/>
    <ellipse cx="300" cy="360" rx="170" ry="225" fill="#e6b998"/>
    <circle cx="215" cy="420" r="60" fill="#c2413a" opacity="${red}"/>
    <circle cx="385" cy="420" r="60" fill="#c2413a" opacity="${red}"/>
    <ellipse cx="235" cy="320" rx="30" ry="13" fill="#fff"/><circle cx="235" cy="320" r="10" fill="#333"/>
    <ellipse cx="365" cy="320" rx="30" ry="13" fill="#fff"/><circle cx="365" cy="320" r="10" fill="#333"/>
    <path d="M245 500 Q300 530 355 500" stroke="#a54a50" stroke-width="14" fill="none" stroke-linecap="round"/>
    <rect x="${kind === 'before' ? 20 : 520}" y="20" width="60" height="60" rx="8" fill="${kind === 'before' ? '#1a5fb4' : '#0a6a65'}"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('before/after photos of two sessions: import with progress, timeline, slider comparison', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);

  // The clinic, client and course are seeded through the API.
  const { practitioner, course } = await seedCourse(host, {
    area: 'cheeks',
    indication: 'acne_scars',
    startedOn: '2026-03-02',
  });
  const sessions: { id: string }[] = [];
  for (const performedAt of ['2026-03-02T10:00:00.000Z', '2026-03-30T10:00:00.000Z']) {
    const saved = await api<{ id: string }>(host, 'sessions.create', {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt,
      zones: [{ zone: 'cheek_left', depthMm: 1.5 }],
      consentProcedure: true,
      photoConsent: 'record',
    });
    sessions.push(saved);
  }

  const files = {
    before1: { name: 'before-1.jpg', mimeType: 'image/jpeg', buffer: await facePhoto(1, 'before') },
    after1: { name: 'after-1.jpg', mimeType: 'image/jpeg', buffer: await facePhoto(1, 'after') },
    before2: { name: 'before-2.jpg', mimeType: 'image/jpeg', buffer: await facePhoto(2, 'before') },
    after2: { name: 'after-2.jpg', mimeType: 'image/jpeg', buffer: await facePhoto(2, 'after') },
    // A text file renamed .jpg: refused with a clear message while the others import.
    fake: { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Client notes, not a photo.\n') },
  };

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');

  // ---------- session 1: Before (with a bad file among them), then After ----------
  await page.goto(`${host.origin}/#/sessions/${sessions[0]!.id}/edit`);
  const photos1 = page.getByRole('region', { name: 'Photos of session 1' });
  await expect(photos1).toBeVisible();
  await expect(photos1.getByText('No photos for this session yet.')).toBeVisible();
  await expect(photos1.getByRole('radio', { name: 'Before' })).toBeChecked();
  await expect(photos1.getByRole('combobox', { name: 'View' })).toHaveValue('frontal');

  watch.expectRefusal('photos.import', 400);
  await photos1.getByLabel('Add photos from files').setInputFiles([files.before1, files.fake]);
  const progress = photos1.getByRole('progressbar', { name: 'Importing photos' });
  await expect(progress).toBeVisible();
  await expect(photos1.getByText('1 of 2 imported · 1 could not be imported')).toBeVisible();
  const badRow = photos1.getByRole('listitem').filter({ hasText: 'notes.jpg' });
  await expect(badRow).toContainText('Not imported');
  await expect(badRow).toContainText('not a photo NeedleLog can read');
  await expect(photos1.getByRole('listitem').filter({ hasText: 'before-1.jpg' })).toContainText('Imported');
  await expect(photos1.getByRole('img', { name: 'Before, Frontal' })).toBeVisible();
  await screenshot(page, '30-photos-import-error', photos1);

  await photos1.getByRole('radio', { name: 'After' }).check();
  await photos1.getByLabel('Add photos from files').setInputFiles([files.after1]);
  await expect(photos1.getByText('1 of 1 imported')).toBeVisible();
  await expect(photos1.getByRole('img', { name: 'After, Frontal' })).toBeVisible();

  // ---------- session 2: Before and After ----------
  await page.goto(`${host.origin}/#/sessions/${sessions[1]!.id}/edit`);
  const photos2 = page.getByRole('region', { name: 'Photos of session 2' });
  await photos2.getByLabel('Add photos from files').setInputFiles([files.before2]);
  await expect(photos2.getByText('1 of 1 imported')).toBeVisible();
  await photos2.getByRole('radio', { name: 'After' }).check();
  await photos2.getByLabel('Add photos from files').setInputFiles([files.after2]);
  await expect(photos2.getByText('1 of 1 imported')).toBeVisible();
  await expect(photos2.getByRole('list', { name: 'Photos of session 2' }).getByRole('listitem')).toHaveCount(
    2,
  );

  // A delete can be undone in place.
  await photos2.getByRole('button', { name: 'Delete photo 2: After, Frontal' }).click();
  await expect(photos2.getByRole('list', { name: 'Photos of session 2' }).getByRole('listitem')).toHaveCount(
    1,
  );
  await photos2.getByRole('button', { name: 'Undo' }).click();
  await expect(photos2.getByRole('list', { name: 'Photos of session 2' }).getByRole('listitem')).toHaveCount(
    2,
  );

  // ---------- the course timeline ----------
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  const timeline = page.getByRole('region', { name: 'Photos', exact: true });
  const frontal = timeline.getByRole('list', { name: 'Frontal' });
  await expect(frontal.getByRole('listitem')).toHaveCount(4);
  await expect(frontal.getByRole('button', { name: /^Select / })).toHaveText([
    /Session 1 Before/,
    /Session 1 After/,
    /Session 2 Before/,
    /Session 2 After/,
  ]);
  await screenshot(page, '31-photos-timeline', timeline);
  await frontal.getByRole('button', { name: /^Select Session 1 Before/ }).click();
  await frontal.getByRole('button', { name: /^Select Session 2 After/ }).click();
  await expect(frontal.getByRole('button', { name: /^Select Session 2 After/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await timeline.getByRole('button', { name: 'Compare selected' }).click();

  const comparison = page.getByRole('region', { name: 'Photo comparison' });
  await expect(comparison).toBeVisible();
  await expect(comparison.getByRole('heading')).toContainText('Session 1 Before vs Session 2 After');
  await expect(comparison.getByRole('img', { name: 'Left: Session 1 Before' })).toBeVisible();
  await expect(comparison.getByRole('img', { name: 'Right: Session 2 After' })).toBeVisible();
  const slider = comparison.getByRole('slider', { name: 'Comparison slider' });
  await expect(slider).toHaveAttribute('aria-valuenow', '50');
  // The photos have loaded (the images are decoded and have a size).
  await expect
    .poll(() =>
      comparison
        .getByRole('img', { name: /^Right:/ })
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBeGreaterThan(0);

  // Drag the divider with the mouse to about a quarter of the width.
  const box = (await slider.boundingBox())!;
  const stage = (await slider.locator('..').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width * 0.4, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(stage.x + stage.width * 0.25, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const dragged = Number(await slider.getAttribute('aria-valuenow'));
  expect(dragged).toBeGreaterThanOrEqual(23);
  expect(dragged).toBeLessThanOrEqual(27);
  await screenshot(page, '32-photos-compare-dragged', comparison);

  // And with the keyboard: → moves 5 %, End goes all the way.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveAttribute('aria-valuenow', String(dragged + 10));
  await page.keyboard.press('Home');
  await expect(slider).toHaveAttribute('aria-valuenow', '0');
  for (let i = 0; i < 13; i++) await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveAttribute('aria-valuenow', '65');
  await screenshot(page, '33-photos-compare-keyboard', comparison);

  // ← elsewhere in the comparison steps the right-hand photo back a session (same view and kind).
  await comparison.getByRole('heading').click();
  await page.keyboard.press('ArrowLeft');
  await expect(comparison.getByRole('img', { name: 'Right: Session 1 After' })).toBeVisible();
  await expect(comparison.getByRole('button', { name: 'Next session →' })).toBeEnabled();
  await comparison.getByRole('button', { name: 'Next session →' }).click();
  await expect(comparison.getByRole('img', { name: 'Right: Session 2 After' })).toBeVisible();

  // Side by side.
  await comparison.getByRole('button', { name: 'Side by side' }).click();
  await expect(comparison.getByRole('button', { name: 'Side by side' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(comparison.getByRole('figure')).toHaveCount(2);
  await screenshot(page, '34-photos-side-by-side', comparison);

  // Full screen, and back.
  await comparison.getByRole('button', { name: 'Slider' }).click();
  await comparison.getByRole('button', { name: 'Full screen' }).click();
  await expect(comparison.getByRole('button', { name: 'Exit full screen' })).toBeVisible();
  await screenshot(page, '35-photos-fullscreen');
  await comparison.getByRole('button', { name: 'Exit full screen' }).click();
  await expect(comparison.getByRole('button', { name: 'Full screen' })).toBeVisible();

  // Deleting a photo from the timeline is undone from the bar at the bottom.
  await frontal.getByRole('button', { name: /^Delete Session 1 After/ }).click();
  await expect(frontal.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('region', { name: 'Undo' }).getByRole('button', { name: 'Undo' }).click();
  await expect(frontal.getByRole('listitem')).toHaveCount(4);

  expect(watch.errors).toEqual([]);
});
