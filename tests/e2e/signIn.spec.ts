import { expect, test } from '@playwright/test';
import { TEST_PIN, api, screenshot, seedCourse, signInOnPage, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Who is at the keyboard, through the real browser host in Chromium: first run with a PIN, sign
// out and in, wrong PINs, the idle lock, the locked page, unlock back into a half-filled form, roles.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('first run with a PIN, sign out, sign in; five wrong PINs show a wait', async ({ page }) => {
  const watch = watchErrors(page);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Clinic name' }).fill('Harbour Skin Studio');
  await page.getByRole('textbox', { name: 'Your name' }).fill('Amara Osei');
  // Too short, then two that differ: said next to the fields.
  watch.expectRefusal('auth.setup', 400);
  await page.getByLabel(/^PIN/).fill('1234');
  await page.getByLabel(/^Repeat PIN/).fill('1234');
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();
  await expect(page.getByLabel(/^PIN/)).toHaveAccessibleDescription(/at least 6 digits/);
  await page.getByLabel(/^PIN/).fill(TEST_PIN);
  await page.getByLabel(/^Repeat PIN/).fill('000000');
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();
  await expect(page.getByLabel(/^Repeat PIN/)).toHaveAccessibleDescription('The two PINs are not the same.');
  await page.getByLabel(/^Repeat PIN/).fill(TEST_PIN);
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();

  const signedIn = page.getByRole('banner').getByRole('group', { name: 'Signed in' });
  await expect(signedIn).toContainText('Amara Osei');
  await expect(signedIn).toContainText('Manager');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();

  // Sign out ("Switch practitioner"), then back in.
  await signedIn.getByRole('button', { name: 'Switch practitioner' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('navigation')).toHaveCount(0);
  await screenshot(page, '60-sign-in');
  await signInOnPage(page, 'Amara Osei', TEST_PIN);
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();

  // Five wrong PINs: the fifth starts a wait, shown and counted down; the button waits too.
  await signedIn.getByRole('button', { name: 'Switch practitioner' }).click();
  await page.getByRole('radio', { name: /^Amara Osei/ }).check();
  const pin = page.getByLabel(/^PIN/);
  watch.expectRefusal('auth.signIn', 400);
  for (let i = 1; i <= 5; i++) {
    await pin.fill(`99999${i}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    if (i < 5)
      await expect(pin).toHaveAccessibleDescription(
        `That PIN is not right. ${5 - i} ${5 - i === 1 ? 'try' : 'tries'} left before a wait.`,
      );
  }
  const wait = page.getByRole('alert').filter({ hasText: 'Too many wrong PINs for Amara Osei' });
  await expect(wait).toContainText(/Wait (30|29|28|27|26|25) seconds before the next try\./);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeDisabled();
  await screenshot(page, '61-sign-in-wait');
  // A reload (or a restart) does not lift the wait.
  await page.reload();
  await page.getByRole('radio', { name: /^Amara Osei/ }).check();
  await expect(page.getByRole('alert').filter({ hasText: 'Too many wrong PINs' })).toBeVisible();
  expect(watch.errors).toEqual([]);
});

test('the idle lock: nothing of the clinic in the DOM, and Unlock returns to the half-filled session form', async ({
  page,
}) => {
  const watch = watchErrors(page);
  const { course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-09-01',
  });
  await page.clock.install({ time: new Date('2026-09-01T09:00:00+01:00') });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
  await page.goto(`${host.origin}/#/courses/${course.id}/log`);
  const form = page.getByRole('form', { name: 'Session' });
  await expect(page.getByText('Zoë Okafor')).toBeVisible();
  await form.getByRole('textbox', { name: 'Device' }).fill('SkinPen Precision');
  await form.getByRole('combobox', { name: 'Cartridge lot' }).fill('LOT-4471');
  await form
    .getByRole('textbox', { name: /Needle depth/ })
    .first()
    .fill('0.4');

  // Four minutes idle: still open. Past five (the default): locked.
  await page.clock.fastForward('04:00');
  await expect(form).toBeVisible();
  await page.clock.fastForward('01:10');
  await expect(page.getByRole('heading', { name: 'NeedleLog is locked', level: 1 })).toBeVisible();
  await expect(page.getByText('Signed in: Dr Aisha Rahman')).toBeVisible();
  // No client data anywhere in the page, not even hidden.
  const html = await page.content();
  for (const text of ['Zoë', 'Okafor', 'SkinPen', 'LOT-4471', 'Lip enhancement'])
    expect(html).not.toContain(text);
  await expect(page.getByRole('link', { name: 'Clients' })).toHaveCount(0);
  await screenshot(page, '62-locked');

  // Locked on the main side too: the API refuses the clinic's data.
  await expect(api(host, 'clients.list', {})).rejects.toThrow(/NeedleLog is locked/);

  // A wrong PIN is refused; the right one returns to the same form, as it was.
  watch.expectRefusal('auth.unlock', 400);
  await page.getByLabel(/^PIN/).fill('000000');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByLabel(/^PIN/)).toHaveAccessibleDescription(/That PIN is not right/);
  await page.getByLabel(/^PIN/).fill(TEST_PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Log session', level: 1 })).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Device' })).toHaveValue('SkinPen Precision');
  await expect(form.getByRole('combobox', { name: 'Cartridge lot' })).toHaveValue('LOT-4471');
  await expect(form.getByRole('textbox', { name: /Needle depth/ }).first()).toHaveValue('0.4');

  // The Lock button and Ctrl+L lock at once.
  await page.getByRole('banner').getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'NeedleLog is locked' })).toBeVisible();
  await page.getByLabel(/^PIN/).fill(TEST_PIN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(form.getByRole('textbox', { name: 'Device' })).toHaveValue('SkinPen Precision');
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'NeedleLog is locked' })).toBeVisible();
  expect(watch.errors).toEqual([]);
});

test('a practitioner cannot open Settings → Practitioners, and the API answers 403 to them', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await seedCourse(host, { area: 'cheeks', indication: 'acne_scars', startedOn: '2026-09-01' });
  const pat = await api<{ id: string }>(host, 'practitioners.create', {
    name: 'Pat Jones',
    role: 'practitioner',
  });
  await api(host, 'auth.resetPin', { id: pat.id, pin: '24681357' });
  await api(host, 'auth.signOut', {});

  await page.goto(host.url);
  await signInOnPage(page, 'Pat Jones', '24681357');
  const banner = page.getByRole('banner');
  await expect(banner.getByRole('group', { name: 'Signed in' })).toContainText('Practitioner');
  // Clinical work, not the clinic's administration.
  await expect(banner.getByRole('link', { name: 'Clients' })).toBeVisible();
  await expect(banner.getByRole('link', { name: 'Overview' })).toHaveCount(0);
  await expect(banner.getByRole('link', { name: 'Exports' })).toHaveCount(0);
  await banner.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Practitioners' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Activity log' })).toHaveCount(0);
  await expect(page.getByText('kept by a manager')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your PIN' })).toBeVisible();
  await screenshot(page, '63-settings-practitioner');

  // Their own session, calling a manager channel directly.
  const res = await fetch(`${host.origin}/api/practitioners.create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Mallory' }),
  });
  expect(res.status).toBe(403);
  expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
    'A manager must do this. Ask a manager to sign in and do it.',
  );
  expect(watch.errors).toEqual([]);
});

test('a manager reads the activity log with filters', async ({ page }) => {
  const watch = watchErrors(page);
  await seedCourse(host, { area: 'cheeks', indication: 'acne_scars', startedOn: '2026-09-01' });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const log = page.getByRole('region', { name: 'Activity log' });
  await expect(log.getByRole('table')).toContainText('Signed in');
  await expect(log.getByRole('table')).toContainText('Created client');
  await log.getByRole('combobox', { name: 'What' }).selectOption('records');
  await expect(log.getByRole('table')).not.toContainText('Signed in');
  await expect(log.getByRole('table')).toContainText('Dr Aisha Rahman');
  await log.scrollIntoViewIfNeeded();
  await screenshot(page, '64-activity-log', log);
  expect(watch.errors).toEqual([]);
});
