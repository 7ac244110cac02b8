import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { repoRoot, startWebHost, type WebHost } from './support/webHost.js';

// The face zone map of the session form: a full-face session's depths entered only by tapping zones
// on the drawing and with the keyboard (no depth typed), saved, then found in the per-zone table, the
// course's table, its depth chart, the course page's small multiples and the PDF report (rendered by
// pdftoppm into tests/artifacts/pdf/ to be looked at).

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

/** A tap at a point of the front view's drawing, in its own units (300 × 420, charts/faceMap.ts). */
async function tapFace(page: Page, x: number, y: number): Promise<void> {
  const svg = page.locator('.fm-face svg').first();
  // In the middle of the window: clear of the header and of the sticky Save bar.
  await svg.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await svg.boundingBox())!;
  await page.mouse.click(box.x + (x / 300) * box.width, box.y + (y / 420) * box.height);
}

async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${target} was not reached within ${max} presses of Tab.`);
}

/** A full-face course for fine lines, its session form open in a 1280 × 1000 window. */
/** Exports the course's PDF report from the course page's Export panel; the path of the file. */
async function downloadCourseReport(
  page: Page,
  watch: ReturnType<typeof watchErrors>,
  folderPrefix: string,
): Promise<string> {
  const panel = page.getByRole('region', { name: 'Export' });
  // The page asks for the result once 1.5 s after the start; a report still being written (a busy
  // machine) answers 404 "not found yet", and the page follows the job's progress events instead.
  watch.expectRefusal('exports.result', 404);
  await panel.getByRole('radio', { name: /PDF course report/ }).check();
  await panel.getByRole('button', { name: 'Export' }).click();
  const link = panel.getByRole('link', { name: 'Download' });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix)), 'report.pdf');
  await download.saveAs(pdf);
  return pdf;
}

async function openLogForm(page: Page): Promise<{ id: string }> {
  const { course } = await seedCourse(host, {
    area: 'full_face',
    indication: 'fine_lines',
    startedOn: '2026-09-01',
  });
  await api(host, 'settings.update', { idleLockMinutes: 60 });
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
  await page.goto(`${host.origin}/#/courses/${course.id}/log`);
  return course;
}

test('a full-face session entered on the face map by tapping and by keyboard, in the table, chart, course maps and PDF', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const course = await openLogForm(page);

  const form = page.getByRole('form', { name: 'Session' });
  const map = form.getByRole('group', { name: 'Face map' });
  await expect(map).toBeVisible();
  // The course's zones are part of the session from the start, without depths; the rest are not.
  await expect(map.getByRole('button', { name: 'Left cheek, no depth yet' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(map.getByRole('button', { name: 'Neck, not treated' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(map.getByRole('button', { pressed: true })).toHaveCount(12);
  const depthBox = (zone: string) => form.getByRole('textbox', { name: `Needle depth, ${zone} (mm)` });

  // 1. Tap the left cheek on the drawing (the client's left: the viewer's right), step it to 1 mm.
  await tapFace(page, 228, 195);
  const stepper = form.getByRole('group', { name: 'Left cheek', exact: true });
  await expect(stepper).toContainText('usual 0.5–1 mm · steps of 0.25 mm');
  const deeper = (mm: string) => stepper.getByRole('button', { name: `Deeper by ${mm} mm` });
  const value = stepper.getByRole('status', { name: 'Left cheek depth' });
  await expect(value).toHaveText('no depth yet');
  for (let i = 0; i < 3; i++) await deeper('0.25').click();
  await expect(value).toHaveText('1 mm');
  await expect(map.getByRole('button', { name: 'Left cheek, 1 mm' })).toHaveAttribute('aria-pressed', 'true');
  await expect(depthBox('Left cheek')).toHaveValue('1');
  await stepper.getByRole('button', { name: 'Shallower by 0.25 mm' }).click();
  await expect(depthBox('Left cheek')).toHaveValue('0.75');
  await deeper('0.25').click();

  // 2. Tap the upper lip (beside its label): fine steps of 0.05 mm from the usual minimum.
  await tapFace(page, 122, 284);
  const lip = form.getByRole('group', { name: 'Upper lip', exact: true });
  await expect(lip).toContainText('steps of 0.05 mm');
  await lip.getByRole('button', { name: 'Deeper by 0.05 mm' }).click();
  await lip.getByRole('button', { name: 'Deeper by 0.05 mm' }).click();
  await expect(map.getByRole('button', { name: 'Upper lip, 0.3 mm' })).toBeVisible();
  await expect(depthBox('Upper lip')).toHaveValue('0.3');
  // Passes from the stepper: the session's passes field.
  await lip.getByRole('button', { name: 'More passes' }).click();
  await lip.getByRole('button', { name: 'More passes' }).click();
  await lip.getByRole('button', { name: 'More passes' }).click();
  await expect(form.getByRole('textbox', { name: 'Passes' })).toHaveValue('3');

  // 3. Keyboard only: Tab to the forehead, Enter opens its stepper with focus on "Deeper".
  await form.getByRole('combobox', { name: 'Glide lot' }).focus();
  const forehead = map.getByRole('button', { name: /^Forehead,/ });
  await tabTo(page, forehead);
  await page.keyboard.press('Enter');
  const foreheadDeeper = form.getByRole('group', { name: 'Forehead', exact: true }).getByRole('button', {
    name: 'Deeper by 0.25 mm',
  });
  await expect(foreheadDeeper).toBeFocused();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
  // 0.75 mm is above the forehead's usual 0.25–0.5 mm: marked on the map, in words and in red.
  await expect(map.getByRole('button', { name: 'Forehead, 0.75 mm, outside the usual range' })).toHaveText(
    '! 0.75',
  );
  await expect(page.locator('.fm-face svg path[data-zone="forehead"]')).toHaveClass(/is-outside/);
  // Arrow keys step a zone from its button: the nose, reached with Tab.
  const nose = map.getByRole('button', { name: /^Nose,/ });
  await forehead.focus();
  await tabTo(page, nose);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(nose).toHaveAccessibleName('Nose, 0.5 mm');
  await page.keyboard.press('ArrowDown');
  await expect(nose).toHaveAccessibleName('Nose, 0.25 mm');
  // A body area from the list beside the face: not treated until pressed.
  const decolletage = map.getByRole('button', { name: /^Décolletage,/ });
  await expect(decolletage).toHaveAttribute('aria-pressed', 'false');
  await tabTo(page, decolletage);
  await page.keyboard.press('Enter');
  await expect(
    form.getByRole('group', { name: 'Décolletage', exact: true }).getByRole('button', {
      name: 'Deeper by 0.25 mm',
    }),
  ).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(decolletage).toHaveAccessibleName('Décolletage, 0.25 mm');
  await expect(decolletage).toHaveAttribute('aria-pressed', 'true');
  await expect(depthBox('Décolletage')).toHaveValue('0.25');
  await expect(page.locator('.fm-legend').first()).toContainText('outside the usual range');
  await screenshot(page, '90-face-map-session-form', map);
  await page.locator('.sf-depth-layout').screenshot({
    path: path.join(repoRoot, 'tests', 'artifacts', 'screenshots', '91-face-map-with-table.png'),
  });

  // 4. Saved: the zones without a depth are left out; the forehead saves with its warning.
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Forehead: 0.75 mm is outside the usual');
  const sessions = await api<{ zones: { zone: string; depthMm: number }[]; passes: number }[]>(
    host,
    'sessions.list',
    { courseId: course.id },
  );
  expect(sessions).toHaveLength(1);
  expect(sessions[0]!.passes).toBe(3);
  expect(Object.fromEntries(sessions[0]!.zones.map((z) => [z.zone, z.depthMm]))).toEqual({
    forehead: 0.75,
    nose: 0.25,
    cheek_left: 1,
    upper_lip: 0.3,
    decolletage: 0.25,
  });

  // 5. The course: its table, its depth chart, and the small multiples of face maps.
  await page.getByRole('link', { name: 'Back to course' }).click();
  const table = page.locator('.session-table');
  await expect(table).toContainText('Left cheek');
  await expect(table).toContainText('0.75 mm');
  const chart = page.getByRole('tabpanel', { name: 'Needle depth' });
  await chart.getByRole('button', { name: 'Show as table' }).click();
  await expect(chart.getByRole('columnheader', { name: /Left cheek/ })).toBeVisible();
  await expect(chart.getByRole('cell', { name: '0.3', exact: true })).toBeVisible();
  const maps = page.getByRole('region', { name: 'Face maps across the course' });
  const first = maps.getByRole('figure', { name: /^Session 1:/ });
  await expect(first).toHaveAccessibleName(
    'Session 1: Forehead 0.75 mm (outside the usual range), Nose 0.25 mm, Left cheek 1 mm, Upper lip 0.3 mm, Décolletage 0.25 mm',
  );
  await expect(first).toContainText('Décolletage 0.25 mm');
  await expect(first.locator('svg path[data-zone="cheek_left"]')).not.toHaveAttribute('fill', '#f6eee8');
  await screenshot(page, '92-face-maps-course', maps);

  // 6. The PDF report: one face map per session, rendered and kept to be looked at.
  const pdf = await downloadCourseReport(page, watch, 'needlelog-facemap-');
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('Face maps');
  expect(text).toMatch(/Session 1 · \d+ \w+ 2026/);
  expect(text).toContain('! 0.75'); // the forehead, marked on its zone
  expect(text).toContain('Décolletage 0.25 mm');
  const artifacts = path.join(repoRoot, 'tests', 'artifacts', 'pdf');
  fs.mkdirSync(artifacts, { recursive: true });
  const page1 = text.split('\f').findIndex((t) => t.includes('Face maps')) + 1;
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    String(page1),
    '-l',
    String(page1),
    pdf,
    path.join(artifacts, 'face-map-e2e'),
  ]);
  expect(fs.readdirSync(artifacts).some((n) => n.startsWith('face-map-e2e') && n.endsWith('.png'))).toBe(
    true,
  );

  expect(watch.errors).toEqual([]);
});

test('passes per zone set on the face map by tapping and by keyboard, in the table, the course page and the PDF', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const course = await openLogForm(page);
  const form = page.getByRole('form', { name: 'Session' });
  const map = form.getByRole('group', { name: 'Face map' });
  const passesBox = (zone: string) => form.getByRole('spinbutton', { name: `Passes, ${zone}` });

  // 1. Tapping: the left cheek to 1 mm, then four passes from its stepper (one back, one more).
  await tapFace(page, 228, 195);
  const cheek = form.getByRole('group', { name: 'Left cheek', exact: true });
  for (let i = 0; i < 3; i++) await cheek.getByRole('button', { name: 'Deeper by 0.25 mm' }).click();
  const cheekPasses = cheek.getByRole('status', { name: 'Left cheek passes' });
  await expect(cheekPasses).toHaveText('not recorded');
  const more = cheek.getByRole('button', { name: 'More Left cheek passes' });
  for (let i = 0; i < 4; i++) await more.click();
  await cheek.getByRole('button', { name: 'Fewer Left cheek passes' }).click();
  await expect(cheekPasses).toHaveText('3');
  await more.click();
  await expect(cheekPasses).toHaveText('4');
  await expect(map.getByRole('button', { name: 'Left cheek, 1 mm, 4 passes' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(passesBox('Left cheek')).toHaveValue('4');
  // The session's own passes are untouched by a zone's.
  await expect(form.getByRole('textbox', { name: 'Passes' })).toHaveValue('');

  // 2. Keyboard only: Tab to the forehead, Enter, two steps deeper, Tab to its passes, two more.
  await form.getByRole('combobox', { name: 'Glide lot' }).focus();
  const forehead = map.getByRole('button', { name: /^Forehead,/ });
  await tabTo(page, forehead);
  await page.keyboard.press('Enter');
  const foreheadStepper = form.getByRole('group', { name: 'Forehead', exact: true });
  await expect(foreheadStepper.getByRole('button', { name: 'Deeper by 0.25 mm' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await tabTo(page, foreheadStepper.getByRole('button', { name: 'More Forehead passes' }), 4);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await expect(foreheadStepper.getByRole('status', { name: 'Forehead passes' })).toHaveText('2');
  await expect(forehead).toHaveAccessibleName('Forehead, 0.5 mm, 2 passes');
  await expect(passesBox('Forehead')).toHaveValue('2');

  // 3. The per-zone table by keyboard: the upper lip's depth tapped, its passes stepped with ArrowUp.
  await tapFace(page, 122, 284);
  const lip = form.getByRole('group', { name: 'Upper lip', exact: true });
  await lip.getByRole('button', { name: 'Deeper by 0.05 mm' }).click();
  await lip.getByRole('button', { name: 'Deeper by 0.05 mm' }).click();
  await passesBox('Upper lip').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
  await expect(passesBox('Upper lip')).toHaveValue('3');
  await expect(map.getByRole('button', { name: 'Upper lip, 0.3 mm, 3 passes' })).toBeVisible();
  await expect(lip.getByRole('status', { name: 'Upper lip passes' })).toHaveText('3');
  // Every treated zone has its passes: the session's Passes field shows their total as a hint.
  await expect(form.getByText('Per zone: 9 passes in all over 3 zones.')).toBeVisible();
  await lip.scrollIntoViewIfNeeded();
  await screenshot(page, '93-face-map-zone-passes', map);
  await page.locator('.sf-depth-layout').screenshot({
    path: path.join(repoRoot, 'tests', 'artifacts', 'screenshots', '94-face-map-zone-passes-table.png'),
  });

  // A count the contract refuses is named beside its zone's box, before anything is saved.
  await passesBox('Upper lip').fill('25');
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(form.getByText('Upper lip: Passes must be a whole number from 1 to 20.')).toBeVisible();
  await expect(passesBox('Upper lip')).toHaveAttribute('aria-invalid', 'true');
  await passesBox('Upper lip').fill('3');

  // 4. Saved with each zone's passes; the session's own passes stay unrecorded.
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();
  const sessions = await api<
    { zones: { zone: string; depthMm: number; passes?: number }[]; passes: number }[]
  >(host, 'sessions.list', { courseId: course.id });
  expect(sessions[0]!.passes).toBeNull();
  expect(sessions[0]!.zones).toEqual([
    { zone: 'forehead', depthMm: 0.5, passes: 2 },
    { zone: 'cheek_left', depthMm: 1, passes: 4 },
    { zone: 'upper_lip', depthMm: 0.3, passes: 3 },
  ]);

  // 5. The course page: its table and its face maps say each zone's passes.
  await page.getByRole('link', { name: 'Back to course' }).click();
  const table = page.locator('.session-table');
  await expect(table).toContainText('Left cheek 1 mm · 4 passes');
  await expect(table).toContainText('Forehead 0.5 mm · 2 passes');
  const maps = page.getByRole('region', { name: 'Face maps across the course' });
  await expect(maps.getByRole('figure', { name: /^Session 1:/ })).toHaveAccessibleName(
    'Session 1: Forehead 0.5 mm, 2 passes, Left cheek 1 mm, 4 passes, Upper lip 0.3 mm, 3 passes',
  );

  // 6. The PDF report's session table: each zone's depth with its passes.
  const pdf = await downloadCourseReport(page, watch, 'needlelog-zonepasses-');
  const text = execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' });
  const words = text.replace(/\s+/g, ' ');
  expect(words).toContain('Left cheek 1, 4 passes');
  expect(words).toContain('Forehead 0.5, 2 passes');
  expect(words).toContain('Upper lip 0.3, 3 passes');
  const artifacts = path.join(repoRoot, 'tests', 'artifacts', 'pdf');
  fs.mkdirSync(artifacts, { recursive: true });
  const tablePage = text.split('\f').findIndex((t) => t.replace(/\s+/g, ' ').includes('1, 4 passes')) + 1;
  expect(tablePage).toBeGreaterThan(0);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    String(tablePage),
    '-l',
    String(tablePage),
    pdf,
    path.join(artifacts, 'zone-passes-e2e'),
  ]);
  expect(fs.readdirSync(artifacts).some((n) => n.startsWith('zone-passes-e2e') && n.endsWith('.png'))).toBe(
    true,
  );

  expect(watch.errors).toEqual([]);
});
