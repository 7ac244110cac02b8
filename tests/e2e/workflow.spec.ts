import { expect, test } from '@playwright/test';
import { TEST_PIN, screenshot, signInOnPage, watchErrors } from './support/pageKit.js';

const SAM_PIN = '93175284';
import { startWebHost, type WebHost } from './support/webHost.js';

// A new clinic's first minutes, through the real CLI's browser host in Chromium: first run, a client
// with a contraindication, a course, settings (practitioners, header switch, depth ranges), delete
// and undo, and a reload that keeps everything.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('a new clinic: first run, client, course, settings, delete and undo', async ({ page }) => {
  const watch = watchErrors(page);
  await page.goto(host.url);

  // ---- first run
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  const clinicName = page.getByRole('textbox', { name: 'Clinic name' });
  await expect(clinicName).toBeFocused();
  await screenshot(page, '10-welcome');
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();
  await expect(page.getByRole('alert')).toContainText('Clinic name is required.');
  await expect(clinicName).toHaveAttribute('aria-invalid', 'true');
  await clinicName.fill('Harbour Skin Studio');
  await page.getByRole('textbox', { name: 'Your name' }).fill('Amara Osei');
  await page.getByRole('textbox', { name: 'Credentials' }).fill('RN');
  await page.getByLabel(/^PIN/).fill(TEST_PIN);
  await page.getByLabel(/^Repeat PIN/).fill(TEST_PIN);
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();

  const banner = page.getByRole('banner');
  await expect(banner).toContainText('Harbour Skin Studio');
  // The first practitioner is signed in (and the clinic's manager).
  const signedIn = banner.getByRole('group', { name: 'Signed in' });
  await expect(signedIn).toContainText('Amara Osei');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();

  // ---- a client with a contraindication: the alert shows on their page
  await page.getByRole('button', { name: 'New client' }).click();
  const clientDialog = page.getByRole('dialog', { name: 'New client' });
  await clientDialog.getByRole('textbox', { name: 'First name' }).fill('Lena');
  await clientDialog.getByRole('textbox', { name: 'Last name', exact: true }).fill('Fischer');
  await clientDialog.getByLabel('Date of birth').fill('1991-07-02');
  await clientDialog.getByRole('combobox', { name: 'Fitzpatrick skin type' }).selectOption('2');
  await clientDialog.getByRole('checkbox', { name: 'Anticoagulants or bleeding disorder' }).check();
  await clientDialog.getByRole('textbox', { name: 'Contraindication notes' }).fill('Apixaban 5 mg daily.');
  await clientDialog.getByRole('button', { name: 'Save client' }).click();
  await expect(clientDialog).toBeHidden();

  await expect(page.getByRole('heading', { name: 'Lena Fischer', level: 1 })).toBeVisible();
  const alert = page.getByRole('alert').filter({ hasText: 'Contraindications' });
  await expect(alert).toContainText('Anticoagulants or bleeding disorder');
  await expect(alert).toContainText('Apixaban 5 mg daily.');
  await expect(page.getByText('Type II')).toBeVisible();
  await expect(page.getByText('No courses yet.')).toBeVisible();
  await screenshot(page, '11-client-contraindication');

  // ---- a course: lips, lip enhancement, 4 sessions every 28 days
  await page.getByRole('button', { name: 'New course' }).click();
  const courseDialog = page.getByRole('dialog', { name: 'New course' });
  await expect(courseDialog.getByRole('combobox', { name: 'Treatment area' })).toBeFocused();
  watch.expectRefusal('courses.create', 400);
  await courseDialog.getByRole('button', { name: 'Save course' }).click();
  await expect(courseDialog.getByRole('alert')).toContainText('treatment area');
  await expect(courseDialog.getByRole('combobox', { name: 'Treatment area' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await courseDialog.getByRole('combobox', { name: 'Treatment area' }).selectOption('lips_perioral');
  await courseDialog.getByRole('combobox', { name: 'Indication' }).selectOption('lip_enhancement');
  await courseDialog.getByRole('spinbutton', { name: 'Planned sessions' }).fill('4');
  await courseDialog.getByRole('spinbutton', { name: 'Planned interval (days)' }).fill('28');
  await expect(courseDialog.getByLabel('Start date')).not.toHaveValue('');
  await courseDialog.getByRole('button', { name: 'Save course' }).click();
  await expect(courseDialog).toBeHidden();

  await expect(
    page.getByRole('heading', { name: 'Lips / perioral · Lip enhancement', level: 1 }),
  ).toBeVisible();
  await expect(page.getByText('Session 0 of 4')).toBeVisible();
  const logSession = page.getByRole('link', { name: 'Log session' });
  await expect(logSession).toBeVisible();
  await expect(logSession).toHaveAttribute('href', /#\/courses\/[0-9a-f-]{36}\/log$/);
  await expect(page.getByRole('link', { name: 'Lena Fischer' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Pause course' }).click();
  await expect(page.getByRole('button', { name: 'Resume course' })).toBeVisible();
  await page.getByRole('button', { name: 'Resume course' }).click();
  await expect(page.getByRole('button', { name: 'Pause course' })).toBeVisible();
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await screenshot(page, '12-course');

  // ---- settings: a second practitioner, switched to in the header; the lips range changed
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const addForm = page.getByRole('form', { name: 'Add practitioner' });
  await addForm.getByRole('textbox', { name: 'Name' }).fill('Sam Reyes');
  await addForm.getByRole('textbox', { name: 'Credentials' }).fill('Aesthetician');
  await addForm.getByRole('combobox', { name: 'Role' }).selectOption('manager');
  await addForm.getByLabel(/^First PIN/).fill(SAM_PIN);
  await addForm.getByRole('button', { name: 'Add practitioner' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sam Reyes was added.' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Practitioners' })).toContainText('Sam Reyes');
  // The current practitioner cannot be removed.
  await expect(page.getByRole('button', { name: 'Remove Amara Osei' })).toBeDisabled();
  // "Switch practitioner": Sam signs in with his own PIN, back on the same screen.
  await banner.getByRole('button', { name: 'Switch practitioner' }).click();
  await signInOnPage(page, 'Sam Reyes', SAM_PIN);
  await expect(signedIn).toContainText('Sam Reyes');
  await expect(page.getByRole('button', { name: 'Remove Sam Reyes' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Remove Amara Osei' })).toBeEnabled();

  const lipsMin = page.getByRole('spinbutton', { name: 'Upper lip lowest depth (mm)' });
  const lipsMax = page.getByRole('spinbutton', { name: 'Upper lip highest depth (mm)' });
  await expect(lipsMin).toHaveValue('0.25');
  await expect(lipsMax).toHaveValue('0.5');
  // Lowest above highest: refused, the message is on the lips row.
  await lipsMin.fill('0.8');
  watch.expectRefusal('settings.update', 400);
  await page.getByRole('button', { name: 'Save depth ranges' }).click();
  await expect(lipsMin).toHaveAttribute('aria-invalid', 'true');
  await expect(lipsMin).toHaveAccessibleDescription('The lowest depth must not exceed the highest.');
  await lipsMin.fill('0.3');
  await lipsMax.fill('0.6');
  await page.getByRole('button', { name: 'Save depth ranges' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Depth ranges saved.' })).toBeVisible();
  await expect(lipsMin).toHaveAttribute('aria-invalid', 'false');
  await screenshot(page, '13-settings');

  // ---- delete the client: gone from the list; Undo brings them back
  await page.getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('link', { name: 'Lena Fischer' }).click();
  await expect(page.getByRole('heading', { name: 'Lena Fischer', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Delete client' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Lena Fischer' })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Lena Fischer was deleted.' })).toBeVisible();
  await screenshot(page, '14-undo-delete');
  await page.getByRole('region', { name: 'Undo' }).getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Lena Fischer is back.' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Lena Fischer' })).toBeVisible();
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();

  // ---- a reload keeps everything
  await page.reload();
  await expect(banner).toContainText('Harbour Skin Studio');
  await expect(signedIn).toContainText('Sam Reyes');
  await page.getByRole('link', { name: 'Lena Fischer' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Contraindications' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Lips / perioral · Lip enhancement' })).toBeVisible();
  await expect(page.getByText('Session 0 of 4')).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('spinbutton', { name: 'Upper lip lowest depth (mm)' })).toHaveValue('0.3');
  await expect(page.getByRole('spinbutton', { name: 'Upper lip highest depth (mm)' })).toHaveValue('0.6');
  await expect(page.getByRole('listitem').filter({ hasText: 'Sam Reyes' })).toContainText('Current');

  expect(watch.errors).toEqual([]);
});
