import { expect, test, type Locator } from '@playwright/test';
import { api, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// The long log form as a practitioner meets it: a section index, carried-forward marks that clear
// on the field typed over, graded out-of-range warnings in the same words before and after saving,
// the Save bar that never hides a field, Ctrl+Enter; then the course's table and chart marking the
// out-of-range depths, and the clinic's date and number format on screen.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

/** The widest option's text, in the select's own font, fits inside the select beside its arrow. */
async function optionsFit(select: Locator): Promise<{ widest: number; room: number }> {
  return select.evaluate((el) => {
    const s = el as unknown as {
      options: ArrayLike<{ text: string }>;
      clientWidth: number;
      ownerDocument: { createElement(t: string): unknown; defaultView: unknown };
    };
    const view = s.ownerDocument.defaultView as {
      getComputedStyle(e: unknown): { font: string; paddingLeft: string; paddingRight: string };
    };
    const style = view.getComputedStyle(el);
    const canvas = s.ownerDocument.createElement('canvas') as {
      getContext(k: '2d'): { font: string; measureText(t: string): { width: number } };
    };
    const ctx = canvas.getContext('2d');
    ctx.font = style.font;
    const widest = Math.max(...Array.from(s.options).map((o) => ctx.measureText(o.text).width));
    // The drop-down arrow takes about 20 px of the right padding's side.
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    return { widest, room };
  });
}

test('log form: index, carried marks, graded warnings, Save bar; course table and chart mark the depth', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-08-04',
  });
  const session = (performedAt: string, depthMm: number) => ({
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt,
    device: 'SkinPen Precision',
    cartridgeType: '14-pin',
    cartridgeLot: 'LOT-4471',
    zones: [{ zone: 'upper_lip', depthMm }],
    passes: 3,
    numbingAgent: 'blt',
    numbingMinutes: 25,
    pain: 3,
    consentProcedure: true,
    adverseEvents: [],
  });
  await api(host, 'sessions.create', session('2026-08-04T09:00:00Z', 0.4));
  await api(host, 'sessions.create', session('2026-09-01T09:00:00Z', 0.75));

  await page.setViewportSize({ width: 1366, height: 800 });
  await page.clock.install({ time: new Date('2026-09-29T10:00:00+01:00') });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
  await page.goto(`${host.origin}/#/courses/${course.id}/log`);
  const form = page.getByRole('form', { name: 'Session' });
  await expect(page.getByText('Session 3 of 4')).toBeVisible();

  // The section index lists every section; carried ones are said to be.
  const index = page.getByRole('navigation', { name: 'Sections of the session form' });
  await expect(index.getByRole('button')).toHaveCount(11);
  await expect(
    index.getByRole('button', { name: /^Device and cartridge ?: filled in, carried forward$/ }),
  ).toBeVisible();
  await expect(index.getByRole('button', { name: /^Response ?: empty$/ })).toBeVisible();

  // Each carried field is marked on its own; typing a new device clears that mark only.
  const device = form.getByRole('textbox', { name: 'Device' });
  const lot = form.getByRole('combobox', { name: 'Cartridge lot' });
  await expect(device).toHaveAccessibleDescription(/from session 2/);
  await expect(lot).toHaveAccessibleDescription(/from session 2/);
  const marksBefore = await form.locator('.sf-carried-mark').count();
  await device.fill('Dermapen 4');
  await expect(device).not.toHaveAccessibleDescription(/from session 2/);
  await expect(lot).toHaveAccessibleDescription(/from session 2/);
  await expect(form.locator('.sf-carried-mark')).toHaveCount(marksBefore - 1);
  await expect(page.getByText('Carried forward from session 2').first()).toBeVisible();

  // Units are in the labels; the numbing agents' names fit their select.
  await expect(form.getByRole('textbox', { name: 'Numbing time (min)' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Duration (min)' })).toBeVisible();
  const agent = form.getByRole('combobox', { name: 'Numbing agent' });
  const fit = await optionsFit(agent);
  expect(fit.widest, `widest agent name ${fit.widest}px, room ${fit.room}px`).toBeLessThanOrEqual(fit.room);

  // 2.5 mm on the lips: five times the usual maximum, "far outside", not the mild note of 0.6 mm.
  const depth = form.getByRole('textbox', { name: /Needle depth/ });
  await depth.fill('0.6');
  await expect(form.getByText('Just outside the usual range: 1.2× the usual maximum.')).toBeVisible();
  await depth.fill('2.5');
  const live = form.locator('.sf-warn.is-far');
  await expect(live).toContainText('Upper lip: 2.5 mm is outside the usual 0.25–0.5 mm for this area.');
  await expect(live).toContainText('Far outside the usual range: 5× the usual maximum.');
  await expect(depth).not.toHaveAccessibleDescription(/from session 2/);
  await expect(index.getByRole('button', { name: /^Needle depth ?: 1 warning, filled in$/ })).toBeVisible();

  // The draft's status sits in the sticky bar beside Save, in view while the top of the form is.
  const bar = form.locator('.sf-actions');
  const draft = bar.getByRole('status').filter({ hasText: 'Draft saved' });
  await expect(draft).toBeVisible();
  await expect(draft).toBeInViewport();
  await page.getByRole('heading', { name: 'Visit' }).scrollIntoViewIfNeeded();
  await screenshot(
    page,
    '70-log-form-index-marks-warning',
    page.getByRole('heading', { name: 'Log session' }),
  );

  // The index jumps: "Consent and notes" brings that section up; no field is left under the bar.
  await index.getByRole('button', { name: /^Consent and notes/ }).click();
  await expect(page.getByRole('heading', { name: 'Consent and notes' })).toBeFocused();
  const notes = form.getByRole('textbox', { name: 'Notes' });
  await notes.focus();
  await notes.fill('Ctrl+Enter saves from here.');
  const barBox = (await bar.boundingBox())!;
  const notesBox = (await notes.boundingBox())!;
  expect(notesBox.y + notesBox.height, 'the Notes box ends above the Save bar').toBeLessThanOrEqual(barBox.y);
  for (const name of ['Pain', 'Photo consent']) {
    await form.getByRole('radiogroup', { name }).locator('input').first().focus();
    const box = (await form.getByRole('radiogroup', { name }).locator('input').first().boundingBox())!;
    const barNow = (await bar.boundingBox())!;
    expect(box.y + box.height, `${name} is not under the Save bar`).toBeLessThanOrEqual(barNow.y);
  }
  await screenshot(
    page,
    '71-log-form-end-clear-of-save-bar',
    page.getByRole('heading', { name: 'Consent and notes' }),
  );

  // Ctrl+Enter saves; the saved screen says the same words, graded, and has one way back.
  await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
  await notes.press('Control+Enter');
  await expect(page.getByRole('heading', { name: 'Session 3 saved' })).toBeVisible();
  const saved = page.getByRole('alert');
  await expect(saved).toContainText('Upper lip: 2.5 mm is outside the usual 0.25–0.5 mm for this area.');
  await expect(saved).toContainText('Far outside the usual range: 5× the usual maximum.');
  await expect(page.getByRole('link', { name: 'Back to course' })).toHaveCount(1);
  await screenshot(page, '72-log-saved-graded-warning');

  // The course: the table marks both depths by grade, the chart rings them and says so.
  await page.getByRole('link', { name: 'Back to course' }).click();
  const table = page.locator('.session-table');
  await expect(table.locator('.range-mark')).toHaveCount(2);
  await expect(table.locator('.range-mark.is-well')).toHaveText('well above usual');
  await expect(table.locator('.range-mark.is-far')).toHaveText('far above usual');
  const chart = page.getByRole('tabpanel', { name: 'Needle depth' });
  await expect(chart.locator('svg.chart-svg .outside-ring')).toHaveCount(3); // one ring at 0.75, two at 2.5
  await expect(chart.getByRole('list', { name: 'Needle depth: legend' })).toContainText(
    'Outside the usual range for the area',
  );
  await expect(chart.getByRole('img')).toHaveAccessibleName(/2 values are outside the usual range/);
  await screenshot(page, '73-course-chart-out-of-range', chart);
  await screenshot(page, '74-course-table-out-of-range', table);
  await chart.getByRole('button', { name: 'Show as table' }).click();
  const farCell = chart.locator('td.is-far');
  await expect(farCell).toHaveText('2.5');
  await expect(farCell).toHaveAttribute('data-range', 'far above usual');
  await screenshot(page, '76-course-chart-table-out-of-range', chart);

  // The clinic's format: German dates and decimal commas on every screen, from one setting.
  await page.goto(`${host.origin}/#/settings`);
  const format = page.getByRole('combobox', { name: 'Date and number format' });
  await expect(format).toHaveValue('');
  await format.selectOption('de-DE');
  await page.getByRole('button', { name: 'Save clinic settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Clinic settings saved.' })).toBeVisible();
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  await expect(table.getByText('0,75 mm')).toBeVisible();
  await expect(page.getByText(/started 4\. Aug\. 2026/)).toBeVisible();
  await screenshot(page, '75-course-table-de-DE', table);

  expect(watch.errors).toEqual([]);
});
