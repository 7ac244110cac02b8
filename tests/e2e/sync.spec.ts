import { expect, test } from '@playwright/test';
import { screenshot, setUpClinic, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';
import { newPairingCode, startRelay, type RunningRelay } from '../../electron/services/sync/relayServer.js';
import { tempDir } from '../support/clinic.js';

// Settings → Sync as a clinic manager meets it: not paired, the pairing form with its checks, and
// then paired with a real relay on 127.0.0.1 and synced, with the header's status.

let host: WebHost;
let relay: RunningRelay;
test.beforeEach(async () => {
  host = await startWebHost();
  relay = await startRelay({ dataDir: tempDir('needlelog-relay-'), host: '127.0.0.1', port: 0 });
});
test.afterEach(async () => {
  await relay.close();
  expect(await host.stop()).toBe(0);
});

test('Settings → Sync: pair with clinic (the form checked), then synced, with the status in the header', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await page.goto(host.url);
  // Not paired: the header shows no sync status at all.
  await expect(page.locator('.sync-badge')).toHaveCount(0);
  await page.getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Sync' });
  await expect(section).toContainText('This room is not paired with a clinic relay.');

  await section.getByLabel('Relay address').fill(relay.url);
  await section.getByLabel('Pairing code').fill('not a code');
  await section.getByLabel("This room's name").fill('Room 2');
  watch.expectRefusal('sync.pair', 400);
  await section.getByRole('button', { name: 'Pair with clinic' }).click();
  await expect(section.getByText('The pairing code has 12 letters and digits')).toBeVisible();

  await section.getByLabel('Pairing code').fill(newPairingCode(relay.db));
  await section.getByLabel('Certificate fingerprint').fill(relay.fingerprint);
  await section.getByRole('button', { name: 'Pair with clinic' }).click();
  // Paired: the relay and its pinned certificate are shown, and the header gets its sync status.
  await expect(section.getByText(relay.url)).toBeVisible();
  await expect(section.getByText(relay.fingerprint)).toBeVisible();
  await section.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('.sync-badge')).toHaveText('Synced');
  await expect(section.getByText('Not yet')).toHaveCount(0);
  await screenshot(page, 'settings-sync-paired', section);
  expect(watch.errors).toEqual([]);
});

test('Settings → Sync on the manager’s computer: run the relay here, a pairing code, the rooms, revoke', async ({
  page,
}) => {
  const watch = watchErrors(page);
  await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const here = page.getByRole('region', { name: 'Relay on this computer' });
  await here.getByLabel('Address the rooms reach it on').selectOption('127.0.0.1');
  await here.getByLabel('Port').fill('0'); // any free port: tests run side by side
  await here.getByLabel("Name of this computer's room").fill('Front desk');
  await here.getByRole('button', { name: 'Run the relay here' }).click();
  await expect(here.getByText(/^https:\/\/127\.0\.0\.1:\d+$/)).toBeVisible();
  // This computer's room paired with it at once: the header shows its sync status.
  const devices = here.getByRole('table', { name: 'Rooms paired with this relay' });
  await expect(devices.getByRole('row')).toHaveCount(2);
  await expect(devices).toContainText('Front desk');
  await page.getByRole('region', { name: 'Sync' }).getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('.sync-badge')).toHaveText('Synced');
  await here.getByRole('button', { name: 'New pairing code' }).click();
  await expect(here.getByRole('status')).toContainText(/Pairing code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
  await screenshot(page, 'settings-sync-relay-here', page.getByRole('region', { name: 'Sync' }));
  await screenshot(page, 'header-sync-status', page.getByRole('banner'));

  // Revoked: that room's next round is refused, and the header says so.
  await devices.getByRole('button', { name: 'Revoke Front desk' }).click();
  await expect(devices).toContainText('Revoked');
  await page.getByRole('region', { name: 'Sync' }).getByRole('button', { name: 'Sync now' }).click();
  await expect(page.locator('.sync-badge')).toHaveText(/Sync error/);
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText('revoked by the clinic manager');
  await here.getByRole('button', { name: 'Stop the relay' }).click();
  await expect(here.getByRole('button', { name: 'Run the relay here' })).toBeVisible();
  expect(watch.errors).toEqual([]);
});
