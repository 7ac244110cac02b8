import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { screenshot, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Encryption at rest as a clinic meets it: the first run asks for the clinic passphrase twice and
// shows the recovery key before anything else; the next start asks "Unlock clinic" first, refuses a
// wrong passphrase in one sentence, and opens on the right one (or on the recovery key).

const PASSPHRASE = 'blue heron morning tide';
let dataDir: string;
let host: WebHost | null = null;
test.beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-e2e-locked-'));
});
test.afterEach(async () => {
  if (host) expect(await host.stop()).toBe(0);
  host = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('first run: passphrase twice, the recovery key shown once, then the clinic; next start: Unlock clinic', async ({
  page,
}) => {
  const watch = watchErrors(page);
  host = await startWebHost({ locked: true, dataDir });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Protect this clinic' })).toBeVisible();
  await page.getByLabel('Clinic passphrase').fill(PASSPHRASE);
  await page.getByLabel('Type it again').fill('blue heron evening tide');
  watch.expectRefusal('clinic.setup', 400);
  await page.getByRole('button', { name: 'Protect the clinic' }).click();
  await expect(page.getByText('The two passphrases are not the same.')).toBeVisible();
  expect(fs.existsSync(path.join(dataDir, 'needlelog.sqlite'))).toBe(false); // nothing stored yet
  await screenshot(page, 'encryption-setup');

  await page.getByLabel('Type it again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Protect the clinic' }).click();
  const groups = page.locator('.recovery-key-groups code');
  await expect(groups).toHaveCount(8);
  const recoveryKey = (await groups.allTextContents()).join('-');
  expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
  await screenshot(page, 'encryption-recovery-key');
  const next = page.getByRole('button', { name: 'Continue' });
  await expect(next).toBeDisabled();
  await page.getByLabel(/I have printed or written down the recovery key/).check();
  await next.click();
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();

  // Restart: the page asks for the passphrase before anything else.
  await page.goto('about:blank'); // the old page's event stream must not retry a stopped host
  expect(await host.stop()).toBe(0);
  host = await startWebHost({ locked: true, dataDir });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Unlock clinic' })).toBeVisible();
  const locked = await fetch(`${host.origin}/api/clients.list`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(locked.status).toBe(423); // nothing of the clinic answers before the unlock
  watch.expectRefusal('clinic.unlock', 400);
  await page.getByLabel('Clinic passphrase or recovery key').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock clinic' }).click();
  await expect(page.getByText('That passphrase or recovery key does not open this clinic.')).toBeVisible();
  await screenshot(page, 'encryption-unlock-refused');
  await page.getByLabel('Clinic passphrase or recovery key').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();

  // And once more with the recovery key, typed in lower case with spaces.
  await page.goto('about:blank'); // the old page's event stream must not retry a stopped host
  expect(await host.stop()).toBe(0);
  host = await startWebHost({ locked: true, dataDir });
  await page.goto(host.url);
  await page
    .getByLabel('Clinic passphrase or recovery key')
    .fill(recoveryKey.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Unlock clinic' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
  expect(watch.errors).toEqual([]);
});

test('Settings → Security: encrypted, change the passphrase, a new recovery key', async ({ page }) => {
  const watch = watchErrors(page);
  host = await startWebHost({ dataDir });
  const { api, setUpClinic } = await import('./support/pageKit.js');
  // Unlocked by the CLI (the passphrase given), then the manager signed in, as the page would.
  const practitioner = await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await api(host, 'settings.update', {
    clinicName: 'Harbour Skin Clinic',
    currentPractitionerId: practitioner.id,
  });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Security' });
  await expect(section).toContainText('Yes: records, photos, backups and bundles');
  watch.expectRefusal('security.changePassphrase', 400);
  await section.getByLabel('Current passphrase').fill('wrong passphrase');
  await section.locator('#security-new').fill(PASSPHRASE);
  await section.getByLabel('New passphrase again').fill(PASSPHRASE);
  await section.getByRole('button', { name: 'Change the passphrase' }).click();
  await expect(section.getByText('That is not the current clinic passphrase.')).toBeVisible();
  await section.getByLabel('Current passphrase').fill('e2e clinic passphrase');
  await section.getByRole('button', { name: 'Change the passphrase' }).click();
  await expect(section.getByText('The passphrase was changed.')).toBeVisible();
  await section.locator('#security-recovery-passphrase').fill(PASSPHRASE);
  await section.getByRole('button', { name: 'Make a new recovery key' }).click();
  await expect(section.locator('.recovery-key-groups code')).toHaveCount(8);
  await screenshot(page, 'settings-security', section);
  expect(watch.errors).toEqual([]);
});
