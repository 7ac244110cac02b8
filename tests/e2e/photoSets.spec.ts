import { expect, test, type Locator } from '@playwright/test';
import sharp from 'sharp';
import { api, axeViolations, importPhoto, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Standard photo sets in Chromium through the browser host: a lips course whose session misses two
// Before views shows them as missing on the session page and the course page until they are
// imported; a delete brings a view back as missing; a view added to the set in Settings shows up.

function photo(name: string, seed: number) {
  return sharp({
    create: { width: 400, height: 500, channels: 3, background: { r: 200 - seed * 20, g: 150, b: 130 } },
  })
    .jpeg()
    .toBuffer()
    .then((buffer) => ({ name, mimeType: 'image/jpeg', buffer }));
}

/** The views a checklist marks, in order, each as "View: taken|missing". */
async function marks(list: Locator): Promise<string[]> {
  const items = await list.getByRole('listitem').all();
  return Promise.all(
    items.map(async (li) => {
      const state = (await li.locator('.ph-set-state').innerText()).trim();
      const name = (await li.locator('span').nth(1).innerText()).trim();
      return `${name}: ${state}`;
    }),
  );
}

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('a course missing two views shows them as missing until they are imported', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-03-02',
  });
  const session = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00.000Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    photoConsent: 'record',
  });
  // After: the whole default lips set. Before: frontal and left oblique only.
  const seeded: [string, string][] = [
    ['after', 'frontal'],
    ['after', 'left_oblique'],
    ['after', 'right_oblique'],
    ['after', 'close_up'],
    ['before', 'frontal'],
    ['before', 'left_oblique'],
  ];
  for (const [i, [kind, view]] of seeded.entries()) {
    await importPhoto(
      host,
      { sessionId: session.id, kind, view },
      (await photo(`${kind}-${view}.jpg`, i)).buffer,
    );
  }

  // ---------- the course page: the summary names the two missing Before views ----------
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  const photosCard = page.getByRole('region', { name: 'Photos', exact: true });
  const summary = photosCard.getByRole('table', { name: 'Standard photo set' });
  await expect(summary).toBeVisible();
  const row1 = summary.getByRole('row', { name: /Session 1/ });
  await expect(row1.getByRole('cell').nth(0)).toHaveText('Missing: Right oblique (45°), Close-up');
  await expect(row1.getByRole('cell').nth(1)).toHaveText('✓ Complete');
  await expect(photosCard).toContainText('1 of 1 session misses views.');
  await screenshot(page, '60-photo-set-course-summary', summary);

  // ---------- the session page: a checklist per kind ----------
  await row1.getByRole('link', { name: 'Session 1' }).click();
  const photos = page.getByRole('region', { name: 'Photos of session 1' });
  const set = photos.getByRole('group', { name: /Standard photo set/ });
  await expect(set).toContainText('Lips / perioral');
  const before = set.getByRole('list', { name: 'Before views' });
  const after = set.getByRole('list', { name: 'After views' });
  await expect(set.getByText('2 of 4 views missing')).toBeVisible();
  expect(await marks(before)).toEqual([
    'Frontal: taken',
    'Left oblique (45°): taken',
    'Right oblique (45°): missing',
    'Close-up: missing',
  ]);
  expect(await marks(after)).toEqual([
    'Frontal: taken',
    'Left oblique (45°): taken',
    'Right oblique (45°): taken',
    'Close-up: taken',
  ]);
  await expect(set.getByRole('button', { name: 'Take missing Before views' })).toBeVisible();
  await expect(set.getByRole('button', { name: 'Take missing After views' })).toHaveCount(0);
  await screenshot(page, '61-photo-set-session-missing', set);
  expect(await axeViolations(page)).toEqual([]);

  // Import the right oblique: one view left.
  await photos.getByRole('combobox', { name: 'View' }).selectOption('right_oblique');
  await photos.getByLabel('Add photos from files').setInputFiles([await photo('right.jpg', 7)]);
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(before.getByRole('listitem').filter({ hasText: 'Right oblique' })).toContainText('taken');
  await expect(set.getByText('1 of 4 views missing')).toBeVisible();
  expect(await marks(before)).toContain('Close-up: missing');

  // And the close-up: the set is complete.
  await photos.getByRole('combobox', { name: 'View' }).selectOption('close_up');
  await photos.getByLabel('Add photos from files').setInputFiles([await photo('close.jpg', 8)]);
  await expect(set.getByText('complete', { exact: true })).toHaveCount(2);
  expect(await marks(before)).toEqual([
    'Frontal: taken',
    'Left oblique (45°): taken',
    'Right oblique (45°): taken',
    'Close-up: taken',
  ]);
  await expect(set.getByRole('button', { name: /Take missing/ })).toHaveCount(0);
  await screenshot(page, '62-photo-set-session-complete', set);

  // A delete brings the view back as missing; undo completes the set again.
  const tiles = photos.getByRole('list', { name: 'Photos of session 1' });
  await tiles.getByRole('button', { name: /^Delete photo \d+: After, Close-up$/ }).click();
  await expect(after.getByRole('listitem').filter({ hasText: 'Close-up' })).toContainText('missing');
  await expect(set.getByText('1 of 4 views missing')).toBeVisible();
  await photos.getByRole('button', { name: 'Undo' }).click();
  await expect(after.getByRole('listitem').filter({ hasText: 'Close-up' })).toContainText('taken');

  // The course page agrees.
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  await expect(photosCard).toContainText('Every session has the whole set.');
  expect(await axeViolations(page)).toEqual([]);
  await expect(row1.getByRole('cell')).toHaveText(['✓ Complete', '✓ Complete']);

  // ---------- Settings: the lips set gains the left lateral view ----------
  await page.getByRole('link', { name: 'Settings' }).click();
  const sets = page.getByRole('region', { name: 'Standard photo sets' });
  const lipsLateral = sets.getByRole('checkbox', { name: 'Lips / perioral: Left lateral (90°)' });
  await expect(lipsLateral).not.toBeChecked();
  await expect(sets.getByRole('checkbox', { name: 'Lips / perioral: Close-up' })).toBeChecked();
  await lipsLateral.check();
  await sets.getByRole('button', { name: 'Save photo sets' }).click();
  await expect(sets.getByRole('status')).toHaveText('Photo sets saved.');
  await expect(sets.getByRole('button', { name: 'Use default views for Lips / perioral' })).toBeVisible();
  await screenshot(page, '63-photo-sets-settings', sets);
  expect(await axeViolations(page)).toEqual([]);
  const saved = await api<{ photoSets: Record<string, string[]> }>(host, 'settings.get', {});
  expect(saved.photoSets.lips_perioral).toEqual([
    'frontal',
    'left_oblique',
    'right_oblique',
    'left_lateral',
    'close_up',
  ]);

  await page.goto(`${host.origin}/#/sessions/${session.id}/edit`);
  await expect(set.getByText('1 of 5 views missing')).toHaveCount(2);
  await expect(before.getByRole('listitem').filter({ hasText: 'Left lateral' })).toContainText('missing');
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  await expect(row1.getByRole('cell')).toHaveText([
    'Missing: Left lateral (90°)',
    'Missing: Left lateral (90°)',
  ]);

  expect(watch.errors).toEqual([]);
});

test('comparison defaults to the same view across sessions', async ({ page }) => {
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-03-02',
  });
  const ids: string[] = [];
  for (const performedAt of [
    '2026-03-02T10:00:00.000Z',
    '2026-03-30T10:00:00.000Z',
    '2026-04-27T10:00:00.000Z',
  ]) {
    const s = await api<{ id: string }>(host, 'sessions.create', {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt,
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
      photoConsent: 'record',
    });
    ids.push(s.id);
  }
  let seed = 0;
  for (const [index, kind, view] of [
    [0, 'before', 'frontal'],
    [0, 'before', 'left_oblique'],
    [1, 'after', 'frontal'],
    [2, 'before', 'frontal'],
    [2, 'after', 'frontal'],
    [2, 'after', 'left_oblique'],
  ] as const) {
    const sessionId = ids[index]!;
    await importPhoto(host, { sessionId, kind, view }, (await photo('p.jpg', seed++)).buffer);
  }

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toBeVisible();
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  const card = page.getByRole('region', { name: 'Photos', exact: true });
  const oblique = card.getByRole('list', { name: 'Left oblique (45°)' });

  // One photo chosen: the default partner is the same view at the other end of the course.
  await oblique.getByRole('button', { name: /^Select Session 1 Before/ }).click();
  await card.getByRole('button', { name: 'Compare with Session 3 After, Left oblique (45°)' }).click();
  const comparison = page.getByRole('region', { name: 'Photo comparison' });
  await expect(comparison.getByRole('heading')).toContainText(
    'Session 1 Before vs Session 3 After · Left oblique (45°)',
  );
  await expect(comparison.getByRole('note')).toHaveCount(0);
  await comparison.getByRole('button', { name: 'Close comparison' }).click();

  // Two different views chosen by hand: said so, with the way back to one view.
  const frontal = card.getByRole('list', { name: 'Frontal' });
  await oblique.getByRole('button', { name: /^Select Session 1 Before/ }).click();
  await oblique.getByRole('button', { name: /^Select Session 3 After/ }).click();
  await expect(card.getByRole('button', { pressed: true })).toHaveCount(0);
  await frontal.getByRole('button', { name: /^Select Session 1 Before/ }).click();
  await expect(card.getByRole('button', { name: 'Compare with Session 3 Before, Frontal' })).toBeVisible();
  await oblique.getByRole('button', { name: /^Select Session 3 After/ }).click();
  await card.getByRole('button', { name: 'Compare selected' }).click();
  const note = comparison.getByRole('note');
  await expect(note).toContainText('Different views: Frontal on the left, Left oblique (45°) on the right.');
  await screenshot(page, '64-photo-compare-different-views', comparison);
  expect(await axeViolations(page)).toEqual([]);
  await note.getByRole('button', { name: 'Compare Frontal with Frontal' }).click();
  await expect(comparison.getByRole('heading')).toContainText(
    'Session 1 Before vs Session 3 After · Frontal',
  );
  await expect(comparison.getByRole('note')).toHaveCount(0);

  expect(watch.errors).toEqual([]);
});
