import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { api, screenshot, watchErrors, setUpClinic } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Backups as a clinic manager uses them: back up now, restore a backup (the current records are
// backed up first), and copy everything to a folder on another drive with progress.

let host: WebHost;
test.beforeEach(async () => {
  host = await startWebHost();
});
test.afterEach(async () => {
  expect(await host.stop()).toBe(0);
});

test('back up, restore and copy to a folder from Settings', async ({ page }) => {
  const watch = watchErrors(page);
  const practitioner = await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await api(host, 'settings.update', {
    clinicName: 'Harbour Skin Clinic',
    currentPractitionerId: practitioner.id,
  });
  await api(host, 'clients.create', { firstName: 'Zoë', lastName: 'Okafor' });

  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Backups' });
  await section.getByRole('button', { name: 'Back up now' }).click();
  await expect(section.getByRole('status').first()).toContainText('Backup made and checked: 1 client ·');
  await expect(section.getByRole('row')).toHaveCount(2); // header + the new backup

  // A client added after the backup goes away when the backup is restored.
  await api(host, 'clients.create', { firstName: 'Later', lastName: 'Client' });
  await section
    .getByRole('button', { name: /^Restore the backup from/ })
    .first()
    .click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('The records as they are now are backed up first.');
  await confirm.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(section.getByRole('status').first()).toContainText('Restored the backup from');
  await expect(section.getByRole('cell', { name: 'Before a restore' })).toBeVisible();
  expect((await api<{ total: number }>(host, 'clients.list', { query: 'Later' })).total).toBe(0);

  const drive = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-drive-'));
  await section.getByLabel('Folder').fill(drive);
  await section.getByRole('button', { name: 'Back up to folder' }).click();
  await expect(
    section.getByText('Done. Every file is listed with its checksum in manifest.json.'),
  ).toBeVisible();
  const [made] = fs.readdirSync(drive);
  expect(fs.existsSync(path.join(drive, made!, 'manifest.json'))).toBe(true);
  await screenshot(page, '50-backups', section);
  expect(watch.errors).toEqual([]);
});
