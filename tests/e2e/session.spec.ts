import { expect, test } from '@playwright/test';
import { api, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// The treatment-room flow of logging sessions, through the browser host in Chromium: three sessions
// of a lip course with timers on a controllable clock, carry-forward, a draft that survives a
// reload, an out-of-range depth that saves with a warning, an edit and its history.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('three sessions of a lip course: timers, carry-forward, draft, warning, edit and history', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);

  // The clinic, client and course are seeded through the API.
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-09-01',
  });

  // The numbing and procedure timers are fast-forwarded by up to 30 minutes at a time: the idle lock
  // (its own test is in signIn.spec.ts) is set to its longest so it stays out of the way.
  await api(host, 'settings.update', { idleLockMinutes: 60 });
  await page.clock.install({ time: new Date('2026-09-01T09:00:00+01:00') });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
  await page.goto(`${host.origin}/#/courses/${course.id}/log`);

  // ---------- session 1: first of the course ----------
  // The app's header has its own practitioner switch: the session's controls are found within the form.
  const form = page.getByRole('form', { name: 'Session' });
  await expect(page.getByRole('heading', { name: 'Log session', level: 1 })).toBeVisible();
  await expect(page.getByText('Session 1 of 4')).toBeVisible();
  await expect(page.getByText('Zoë Okafor')).toBeVisible();
  await expect(page.getByText('Lips / perioral · Lip enhancement')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to course' })).toHaveAttribute(
    'href',
    `#/courses/${course.id}`,
  );
  await expect(form.getByLabel('Session date and time')).toHaveValue('2026-09-01T09:00');
  await expect(form.getByRole('combobox', { name: 'Practitioner' })).toHaveValue(practitioner.id);
  const depth = form.getByRole('textbox', { name: /Needle depth/ }).first();
  await expect(depth).toHaveAccessibleName('Needle depth, Upper lip (mm)');
  await expect(depth).toHaveValue('');
  await expect(depth).toHaveAccessibleDescription(/usual 0\.25–0\.5 mm/);
  await expect(page.getByText('Carried forward from session')).toHaveCount(0);
  await screenshot(page, '20-log-session-first');

  // Saving without a depth: refused, the message next to the field and in an alert; nothing typed is lost.
  await form.getByRole('textbox', { name: 'Device' }).fill('SkinPen Precision');
  watch.expectRefusal('sessions.create', 400);
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('alert')).toContainText('Record the needle depth for at least one zone.');
  await expect(depth).toHaveAttribute('aria-invalid', 'true');
  await expect(depth).toHaveAccessibleDescription(/Record the needle depth/);
  await expect(depth).toBeFocused();
  await expect(form.getByRole('textbox', { name: 'Device' })).toHaveValue('SkinPen Precision');

  await depth.fill('0.4');
  await form.getByRole('textbox', { name: 'Cartridge type' }).fill('14-pin');
  await form.getByRole('combobox', { name: 'Cartridge lot' }).fill('LOT-4471');
  await form.getByRole('textbox', { name: 'Passes' }).fill('3');
  await form.getByRole('textbox', { name: 'Speed setting' }).fill('6');
  await form.getByRole('textbox', { name: 'Glide / serum' }).fill('Hyaluronic acid');
  await form.getByRole('combobox', { name: 'Numbing agent' }).selectOption('blt');
  await form.getByRole('checkbox', { name: /Occlusion/ }).check();
  await form.getByRole('textbox', { name: 'Numbing area' }).fill('Lips and border');

  // The numbing timer: started when the cream goes on; 25 minutes later it fills Numbing time.
  await page.getByRole('button', { name: 'Start numbing timer' }).click();
  await page.clock.fastForward('25:00');
  await expect(page.getByRole('timer')).toContainText('25:00');
  await page.getByRole('button', { name: 'Use 25 min' }).click();
  await expect(form.getByRole('textbox', { name: 'Numbing time' })).toHaveValue('25');

  // The procedure timer: start, 30 minutes, stop: Duration is 30.
  await page.getByRole('button', { name: 'Start procedure timer' }).click();
  await page.clock.fastForward('30:00');
  await expect(page.getByRole('timer')).toContainText('30:00');
  await page.getByRole('button', { name: 'Stop procedure timer' }).click();
  await expect(form.getByRole('textbox', { name: 'Duration' })).toHaveValue('30');

  await form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: '3', exact: true }).check();
  await form.getByRole('radiogroup', { name: 'Erythema' }).getByRole('radio', { name: '2 Moderate' }).check();
  await page
    .getByRole('radiogroup', { name: 'Pinpoint bleeding' })
    .getByRole('radio', { name: '1 Mild' })
    .check();
  await form.getByRole('checkbox', { name: 'SPF 30+ from 24 h' }).check();
  await form.getByRole('checkbox', { name: 'Keep lips moisturised' }).check();
  await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
  await page
    .getByRole('radiogroup', { name: 'Photo consent' })
    .getByRole('radio', { name: 'Record only' })
    .check();
  await page.getByRole('button', { name: 'Add adverse event' }).click();
  const event = form.getByRole('group', { name: 'Adverse event 1' });
  await expect(event.getByRole('combobox', { name: 'Kind' })).toBeFocused();
  await event.getByRole('combobox', { name: 'Kind' }).selectOption('bruising');
  await event.getByRole('combobox', { name: 'Severity' }).selectOption('mild');
  await form.getByRole('textbox', { name: 'Notes', exact: true }).fill('First session, well tolerated.');

  // Enter in a text field saves.
  await form.getByRole('combobox', { name: 'Cartridge lot' }).press('Enter');
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();
  await expect(page.getByText('Saved, with nothing out of the ordinary.')).toBeVisible();
  await page.getByRole('button', { name: 'Log next session' }).click();

  // ---------- session 2: carried forward from session 1 ----------
  await expect(page.getByText('Session 2 of 4')).toBeVisible();
  await expect(page.getByText('Carried forward from session 1').first()).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Device' })).toHaveValue('SkinPen Precision');
  await expect(form.getByRole('combobox', { name: 'Cartridge lot' })).toHaveValue('LOT-4471');
  await expect(depth).toHaveValue('0.4');
  await expect(form.getByRole('combobox', { name: 'Numbing agent' })).toHaveValue('blt');
  await expect(form.getByRole('checkbox', { name: /Occlusion/ })).toBeChecked();
  await expect(form.getByRole('textbox', { name: 'Passes' })).toHaveValue('3');
  await expect(form.getByRole('checkbox', { name: 'Keep lips moisturised' })).toBeChecked();
  // What describes one visit does not carry.
  await expect(form.getByRole('textbox', { name: 'Numbing time' })).toHaveValue('');
  await expect(form.getByRole('textbox', { name: 'Duration' })).toHaveValue('');
  await expect(
    form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { checked: true }),
  ).toHaveCount(0);
  await expect(form.getByRole('checkbox', { name: 'Procedure consent confirmed' })).not.toBeChecked();
  await expect(form.getByRole('textbox', { name: 'Notes', exact: true })).toHaveValue('');
  await expect(form.getByRole('group', { name: 'Adverse event 1' })).toHaveCount(0);
  await screenshot(page, '21-log-session-carried-forward');

  await form.getByLabel('Session date and time').fill('2026-09-29T09:00');
  await form.getByRole('combobox', { name: 'Cartridge lot' }).fill('LOT-5120');
  await page.getByRole('button', { name: 'Start numbing timer' }).click();
  await page.clock.fastForward('25:00');
  await page.getByRole('button', { name: 'Use 25 min' }).click();
  await page.getByRole('button', { name: 'Start procedure timer' }).click();
  await page.clock.fastForward('30:00');
  await page.getByRole('button', { name: 'Stop procedure timer' }).click();
  await expect(form.getByRole('textbox', { name: 'Numbing time' })).toHaveValue('25');
  await expect(form.getByRole('textbox', { name: 'Duration' })).toHaveValue('30');
  await form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: '2', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 2 saved' })).toBeVisible();
  await page.getByRole('button', { name: 'Log next session' }).click();

  // ---------- session 3: half-filled, reloaded, resumed as a draft with its timer running ----------
  await expect(page.getByText('Session 3 of 4')).toBeVisible();
  await expect(page.getByText('Carried forward from session 2').first()).toBeVisible();
  await expect(form.getByRole('combobox', { name: 'Cartridge lot' })).toHaveValue('LOT-5120');
  await form.getByLabel('Session date and time').fill('2026-10-27T09:00');
  await form.getByRole('textbox', { name: 'Glide / serum' }).fill('Polynucleotides');
  await form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: '5', exact: true }).check();
  await page.getByRole('button', { name: 'Start numbing timer' }).click();
  await page.clock.fastForward('10:00');
  await expect(page.getByRole('timer')).toContainText('10:00');
  await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible();
  await screenshot(page, '22-log-session-numbing-timer', page.getByRole('timer'));

  await page.reload();
  await expect(page.getByRole('button', { name: 'Resume draft' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Discard draft' })).toBeVisible();
  await expect(page.getByText('with a timer still running')).toBeVisible();
  await screenshot(page, '23-log-session-resume-draft');
  await page.getByRole('button', { name: 'Resume draft' }).click();
  await expect(form.getByRole('textbox', { name: 'Glide / serum' })).toHaveValue('Polynucleotides');
  await expect(form.getByLabel('Session date and time')).toHaveValue('2026-10-27T09:00');
  await expect(
    form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: '5', exact: true }),
  ).toBeChecked();
  await expect(page.getByText('Carried forward from session 2').first()).toBeVisible();
  // The timer kept counting while the page was away.
  await page.clock.fastForward('15:00');
  await expect(page.getByRole('timer')).toContainText('25:');
  await page.getByRole('button', { name: 'Use 25 min' }).click();
  await expect(form.getByRole('textbox', { name: 'Numbing time' })).toHaveValue('25');
  await page.getByRole('button', { name: 'Start procedure timer' }).click();
  await page.clock.fastForward('30:00');
  await page.getByRole('button', { name: 'Stop procedure timer' }).click();

  // An out-of-range depth: a live warning beside the field, and the save still goes through.
  await depth.fill('1.2');
  await expect(page.getByText('Upper lip: 1.2 mm is outside the usual 0.25–0.5 mm')).toBeVisible();
  await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
  await depth.press('Enter');
  await expect(page.getByRole('heading', { name: 'Session 3 saved' })).toBeVisible();
  const warnings = page.getByRole('alert');
  await expect(warnings).toContainText('Saved. Check:');
  await expect(warnings).toContainText('Upper lip: 1.2 mm is outside the usual 0.25–0.5 mm for this area.');
  await screenshot(page, '24-log-session-saved-with-warning');

  // The draft became the session: nothing is offered any more.
  await page.reload();
  await expect(page.getByText('Session 4 of 4')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Resume draft' })).toHaveCount(0);
  await expect(depth).toHaveValue('1.2');
  await expect(page.getByText('Carried forward from session 3').first()).toBeVisible();

  // ---------- edit session 3: the depth was a typo ----------
  const sessions = await api<{ id: string; number: number }[]>(host, 'sessions.list', {
    courseId: course.id,
  });
  expect(sessions.map((s) => s.number)).toEqual([1, 2, 3]);
  const third = sessions[2] as { id: string };
  await page.goto(`${host.origin}/#/sessions/${third.id}/edit`);
  await expect(page.getByRole('heading', { name: 'Edit session 3', level: 1 })).toBeVisible();
  await expect(depth).toHaveValue('1.2');
  await expect(form.getByRole('textbox', { name: 'Glide / serum' })).toHaveValue('Polynucleotides');
  await expect(form.getByRole('textbox', { name: 'Numbing time' })).toHaveValue('25');
  await expect(form.getByRole('textbox', { name: 'Duration' })).toHaveValue('30');
  await depth.fill('0.5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Changes saved.' })).toBeVisible();

  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history).toContainText('Session changed by Dr Aisha Rahman');
  await expect(history).toContainText('Needle depth, Upper lip: 1.2 mm → 0.5 mm');
  await expect(history).toContainText('Session created');
  await screenshot(
    page,
    '25-edit-session-history',
    page.getByRole('heading', { name: 'Edit session 3', level: 1 }),
  );
  await screenshot(page, '26-edit-session-full');

  // A reload keeps the edit and its history.
  await page.reload();
  await expect(depth).toHaveValue('0.5');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('1.2 mm → 0.5 mm');

  // Delete is soft and can be undone.
  await page.getByRole('button', { name: 'Delete session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 3 deleted' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(depth).toHaveValue('0.5');
  await expect(page.getByRole('region', { name: 'History' })).toContainText('Session restored');
  const after = await api<{ id: string }[]>(host, 'sessions.list', { courseId: course.id });
  expect(after).toHaveLength(3);

  expect(watch.errors).toEqual([]);
});
