import { expect, test, type Page } from '@playwright/test';
import { DEMO_MANAGER, TEST_PIN, screenshot, signInOnPage, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// The start page through the whole stack: the real CLI (`needlelog web`) serving the built renderer,
// the contract over HTTP, SQLite underneath, in Debian's Chromium.

/** First run: a clinic name and the first practitioner, so the client list opens. */
async function setUpClinic(page: Page) {
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Clinic name' }).fill('Test Clinic');
  await page.getByRole('textbox', { name: 'Your name' }).fill('Alex Morgan');
  await page.getByLabel(/^PIN/).fill(TEST_PIN);
  await page.getByLabel(/^Repeat PIN/).fill(TEST_PIN);
  await page.getByRole('button', { name: 'Start using NeedleLog' }).click();
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
}

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test('the start page lists clients and creates one', async ({ page }) => {
  const watch = watchErrors(page);

  // Exactly one line carries the address.
  expect(
    host
      .output()
      .stdout.split('\n')
      .filter((l) => l.includes('http://')),
  ).toHaveLength(1);

  const response = await page.goto(host.url);
  expect(response?.status()).toBe(200);
  const csp = response?.headers()['content-security-policy'] ?? '';
  const scriptSrc = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src '));
  expect(scriptSrc, `CSP: ${csp}`).toBeDefined();
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");

  // The token leaves the address bar at once (it lives on in sessionStorage).
  await expect(page).toHaveURL(`${host.origin}/`);
  await expect(page).toHaveTitle(/NeedleLog/);
  await expect(page.getByRole('banner')).toContainText('NeedleLog');
  await setUpClinic(page);
  await expect(page.getByRole('banner')).toContainText('Test Clinic');

  // An empty clinic says so and offers a way in.
  await expect(page.getByRole('heading', { name: 'No clients yet' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Load demo clinic' })).toBeVisible();
  await expect(page.getByText('0 clients')).toBeVisible();
  await screenshot(page, '01-empty-clinic');

  // Saving without a first name: the contract's message appears next to the field, and in a summary.
  await page.getByRole('button', { name: 'New client' }).click();
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await expect(dialog).toBeVisible();
  const firstName = dialog.getByRole('textbox', { name: 'First name' });
  await expect(firstName).toBeFocused();
  watch.expectRefusal('clients.create', 400);
  await dialog.getByRole('button', { name: 'Save client' }).click();
  await expect(dialog.getByRole('alert')).toContainText('First name is required.');
  await expect(firstName).toHaveAttribute('aria-invalid', 'true');
  await expect(firstName).toHaveAccessibleDescription(/First name is required\./);
  await expect(firstName).toBeFocused();
  await screenshot(page, '02-form-error');

  // A real client, every control found by its accessible name; Enter submits.
  await firstName.fill('Zoë');
  await dialog.getByRole('textbox', { name: 'Last name', exact: true }).fill('Okafor');
  await dialog.getByLabel('Date of birth').fill('1988-03-14');
  await dialog.getByRole('textbox', { name: 'Phone' }).fill('+44 20 7946 0000');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('zoe@example.org');
  await dialog.getByRole('combobox', { name: 'Fitzpatrick skin type' }).selectOption('5');
  await dialog.getByRole('checkbox', { name: 'Isotretinoin within 6 months' }).check();
  await dialog.getByRole('textbox', { name: 'Notes', exact: true }).fill('Prefers morning appointments.');
  await firstName.press('Enter');
  await expect(dialog).toBeHidden();

  // The new client's page opens, with the contraindication as an alert.
  await expect(page.getByRole('heading', { name: 'Zoë Okafor', level: 1 })).toBeFocused();
  await expect(page.getByRole('alert')).toContainText('Isotretinoin within 6 months');

  // Edit client: the form opens with the saved values; the change shows at once.
  await page.getByRole('button', { name: 'Edit client' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit client' });
  await expect(edit.getByRole('textbox', { name: 'Email' })).toHaveValue('zoe@example.org');
  await edit.getByRole('textbox', { name: 'Phone' }).fill('+44 20 7946 0001');
  await edit.getByRole('button', { name: 'Save client' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText('+44 20 7946 0001')).toBeVisible();

  await page.getByRole('link', { name: 'Clients' }).first().click();
  const row = page.getByRole('row', { name: /Zoë Okafor/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('14 Mar 1988');
  await expect(row).toContainText('Type V');
  await expect(row).toContainText('Contraindications');
  await expect(row.getByRole('link', { name: 'Zoë Okafor' })).toBeVisible();
  await expect(page.getByText('1 client', { exact: true })).toBeVisible();

  // A reload keeps the session (token from sessionStorage) and the client (from SQLite).
  await page.reload();
  await expect(page.getByRole('row', { name: /Zoë Okafor/ })).toBeVisible();

  // Search as you type, accent-insensitive.
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await search.fill('zoe');
  await expect(page.getByText('1 client matches “zoe”')).toBeVisible();
  await expect(page.getByRole('row', { name: /Zoë Okafor/ })).toBeVisible();
  await search.fill('nobody');
  await expect(page.getByText('No client’s name matches “nobody”.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
  await expect(page.getByRole('row', { name: /Zoë Okafor/ })).toBeVisible();
  await screenshot(page, '03-client-list');

  expect(watch.errors).toEqual([]);
});

test('the demo clinic loads with progress and fills the list', async ({ page }) => {
  const watch = watchErrors(page);
  await page.goto(host.url);
  // Reachable from the very first screen, without setting up a clinic.
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
  await page.getByRole('button', { name: 'Explore with a demo clinic' }).click();

  const progress = page.getByRole('progressbar', { name: 'Loading the demo clinic' });
  await expect(progress).toBeVisible();
  await expect(page.getByText(/Demo clinic loaded: \d+ clients\./)).toBeVisible({ timeout: 30_000 });
  // Nobody is signed in yet: the sign-in screen shows the demo PINs.
  await expect(page.getByRole('complementary', { name: 'Demo clinic PINs' })).toContainText(DEMO_MANAGER.pin);
  await signInOnPage(page, DEMO_MANAGER.name, DEMO_MANAGER.pin);
  const total = await progress.evaluate((el) => (el as unknown as { max: number }).max);
  expect(total).toBeGreaterThanOrEqual(25);
  expect(await progress.evaluate((el) => (el as unknown as { value: number }).value)).toBe(total);

  await expect(page.getByText(`${total} clients`, { exact: true })).toBeVisible();
  // The list is virtualised: every client counts in the table, only those in view are in the page.
  const table = page.getByRole('table', { name: 'Clients' });
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
  const rendered = await table.getByRole('row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThanOrEqual(total + 1);
  await expect(page.getByRole('banner')).toContainText('Demo Skin Clinic');
  await expect(page.getByRole('banner')).toContainText(DEMO_MANAGER.name);
  await screenshot(page, '04-demo-clinic');

  // Scrolling to the end brings in the last rows.
  await table
    .getByRole('rowgroup')
    .nth(1)
    .evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(table.locator(`[aria-rowindex="${total + 1}"]`)).toBeVisible();

  // A client with courses: progress per course; a course with sessions: the table in order.
  const search = page.getByRole('searchbox', { name: 'Search clients' });
  await table
    .getByRole('rowgroup')
    .nth(1)
    .evaluate((el) => el.scrollTo(0, 0));
  await table.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByText(/Session \d+ of \d+/).first()).toBeVisible();
  await screenshot(page, '06-demo-client');
  await page.getByRole('listitem').getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Edit session 1' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Log session' })).toBeVisible();
  await screenshot(page, '07-demo-course');
  await page.getByRole('link', { name: 'Clients' }).first().click();
  await expect(search).toBeVisible();

  expect(watch.errors).toEqual([]);
});

test('without a valid token the page says how to open NeedleLog', async ({ page }) => {
  const watch = watchErrors(page);

  // The bare address (no #token): nothing is requested, the page explains.
  await page.goto(`${host.origin}/`);
  await expect(page.getByRole('heading', { name: 'NeedleLog is not connected' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(
    'Open NeedleLog from the link printed by needlelog web',
  );
  await expect(page.getByRole('button', { name: 'New client' })).toHaveCount(0);

  // A wrong or stale token (e.g. from before a restart): the host refuses it, the page says so and
  // forgets it, so a reload does not keep retrying it.
  watch.expectUnauthorized();
  await page.goto(`${host.origin}/#token=not-the-right-token-at-all`);
  await expect(page).toHaveURL(`${host.origin}/`);
  await expect(page.getByRole('heading', { name: 'NeedleLog is not connected' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('was not accepted');
  await screenshot(page, '05-not-connected');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'NeedleLog is not connected' })).toBeVisible();
  await expect(page.getByRole('alert')).not.toContainText('was not accepted');

  expect(watch.errors).toEqual([]);
});
