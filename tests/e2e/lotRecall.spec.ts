import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { expect, test } from '@playwright/test';
import { api, screenshot, setUpClinic, signConsent, TEST_PIN, watchErrors } from './support/pageKit.js';
import { E2E_PASSPHRASE, repoRoot, startWebHost, type WebHost } from './support/webHost.js';

// A faulty lot of numbing cream: logged for one client through the session form (picked from the
// lots entered before, not retyped), recorded for another as well, then traced by Lot recall on
// screen and by `needlelog recall` on the command line; both CSVs are read back.

const LOT = 'EM-2026-0417';

let host: WebHost;
test.beforeEach(async () => {
  host = await startWebHost();
});
test.afterEach(async () => {
  expect(await host.stop()).toBe(0);
});

async function seed() {
  const aisha = await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  const marta = await api<{ id: string }>(host, 'practitioners.create', { name: 'Marta Silva' });
  await api(host, 'settings.update', { clinicName: 'Harbour Skin Clinic', currentPractitionerId: aisha.id });
  const client = (firstName: string, lastName: string, phone: string, email: string) =>
    api<{ id: string }>(host, 'clients.create', {
      firstName,
      lastName,
      phone,
      email,
      dateOfBirth: '1988-03-14',
    });
  const course = async (clientId: string, area: string, indication: string) => {
    const made = await api<{ id: string }>(host, 'courses.create', {
      clientId,
      area,
      indication,
      plannedSessions: 4,
      plannedIntervalDays: 28,
      startedOn: '2026-03-02',
    });
    await signConsent(host, made.id);
    return made;
  };
  const zoe = await client('Zoë', 'Okafor', '07700 900123', 'zoe@example.org');
  const tom = await client('Tom', 'Costa', '+44 161 496 0000', '');
  const ines = await client('Ines', 'Byrne', '07700 900999', '');
  const zoeCourse = await course(zoe.id, 'lips_perioral', 'lip_enhancement');
  const tomCourse = await course(tom.id, 'cheeks', 'acne_scars');
  const inesCourse = await course(ines.id, 'cheeks', 'acne_scars');
  // Tom's first session, by Marta: the lot as numbing lot (entered before, so it is suggested later).
  await api(host, 'sessions.create', {
    courseId: tomCourse.id,
    practitionerId: marta.id,
    performedAt: '2026-03-03T10:00:00Z',
    zones: [
      { zone: 'cheek_left', depthMm: 1.5 },
      { zone: 'cheek_right', depthMm: 1.5 },
    ],
    cartridgeLot: 'L2450-17',
    numbingAgent: 'emla',
    numbingLot: LOT,
  });
  // Ines: another numbing lot, not part of the recall.
  await api(host, 'sessions.create', {
    courseId: inesCourse.id,
    practitionerId: aisha.id,
    performedAt: '2026-03-04T10:00:00Z',
    zones: [
      { zone: 'cheek_left', depthMm: 1.25 },
      { zone: 'cheek_right', depthMm: 1.25 },
    ],
    numbingAgent: 'emla',
    numbingLot: 'EM-2026-0388',
  });
  return { zoe, tom, zoeCourse };
}

test('a numbing lot used in two clients’ sessions is found by Lot recall and by the CLI', async ({
  page,
}) => {
  const watch = watchErrors(page);
  const { zoe, tom, zoeCourse } = await seed();
  await page.clock.install({ time: new Date('2026-03-30T09:00:00+01:00') });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');

  // 1. Zoë's session through the form: the numbing lot is offered from the earlier entries.
  await page.goto(`${host.origin}/#/courses/${zoeCourse.id}/log`);
  const form = page.getByRole('form', { name: 'Session' });
  await form
    .getByRole('textbox', { name: /Needle depth/ })
    .first()
    .fill('0.5');
  await form.getByRole('combobox', { name: 'Numbing agent', exact: true }).selectOption('emla');
  const numbingLot = form.getByRole('combobox', { name: 'Numbing lot' });
  await expect(form.getByRole('combobox', { name: 'Cartridge lot' })).toBeVisible();
  await expect(form.getByRole('combobox', { name: 'Glide lot' })).toBeVisible();
  await numbingLot.focus();
  const suggestions = page.locator(`datalist#${await numbingLot.getAttribute('id')}-suggestions option`);
  // Most recent first; the cartridge lot of Tom's session is not a numbing lot and is not offered.
  await expect(suggestions).toHaveCount(2);
  await expect(suggestions.nth(0)).toHaveAttribute('value', 'EM-2026-0388');
  await expect(suggestions.nth(1)).toHaveAttribute('value', LOT);
  await expect(suggestions.first()).toHaveAttribute('label', /^last used 4 Mar 2026/);
  // Typing narrows the suggestions to the lots that start with it (asked of the host as one types).
  await numbingLot.pressSequentially('em-2026-04');
  await expect(suggestions).toHaveCount(1);
  await expect(suggestions.first()).toHaveAttribute('value', LOT);
  await numbingLot.fill(LOT); // what choosing the suggestion puts in the field
  await form.getByRole('combobox', { name: 'Cartridge lot' }).fill('L2451-02');
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();

  // 2. Lot recall, from the main navigation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lot recall' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lot recall' })).toBeFocused();
  const lotBox = page.getByRole('search').getByRole('combobox', { name: 'Lot number' });
  // Empty: refused next to the field.
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(lotBox).toHaveAttribute('aria-invalid', 'true');
  await expect(lotBox).toHaveAccessibleDescription(/Type the lot number to look for/);
  // A lot nobody used: said so.
  await lotBox.fill('EM-1999-0001');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('status')).toContainText('No live session recorded lot EM-1999-0001');
  // Capitals do not matter.
  await lotBox.fill(LOT.toLowerCase());
  await lotBox.press('Enter');
  await expect(page).toHaveURL(/#\/lot-recall\/em-2026-0417$/);
  const summary = page.getByRole('region', { name: /^Lot em-2026-0417/ });
  await expect(summary).toContainText('2 clients, 2 sessions');
  await expect(summary).toContainText('numbing agent lot (2 sessions)');
  await expect(summary).toContainText('3 Mar 2026');
  await expect(summary).toContainText('30 Mar 2026');

  const clients = page.getByRole('region', { name: 'Clients to contact' }).getByRole('row');
  await expect(clients).toHaveCount(3); // header + 2
  await expect(clients.nth(1)).toContainText('Costa, Tom');
  await expect(clients.nth(1)).toContainText('+44 161 496 0000');
  await expect(clients.nth(2)).toContainText('Okafor, Zoë');
  await expect(clients.nth(2)).toContainText('zoe@example.org');
  await expect(clients.nth(2)).toContainText('14 Mar 1988');
  await expect(clients.nth(2).getByRole('link', { name: 'Okafor, Zoë' })).toHaveAttribute(
    'href',
    `#/clients/${zoe.id}`,
  );
  const sessions = page.getByRole('region', { name: 'Sessions' }).getByRole('row');
  await expect(sessions).toHaveCount(3);
  await expect(sessions.nth(1)).toContainText('Costa, Tom');
  await expect(sessions.nth(1)).toContainText('Marta Silva');
  await expect(sessions.nth(1)).toContainText('Numbing agent');
  await expect(sessions.nth(1)).toContainText('L2450-17');
  await expect(sessions.nth(2)).toContainText('Okafor, Zoë');
  await expect(sessions.nth(2)).toContainText('Dr Aisha Rahman');
  await expect(sessions.nth(2)).toContainText('Lips / perioral, session 1');
  await expect(page.getByText('Byrne')).toHaveCount(0);
  await screenshot(page, '80-lot-recall');

  // 3. The list as CSV, downloaded and read back.
  const exportCard = page.getByRole('region', { name: 'Export' });
  await exportCard.getByRole('button', { name: 'Export the list as CSV' }).click();
  await expect(exportCard.getByRole('status')).toContainText('Exported 2 sessions');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    exportCard.getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^needlelog-lot-recall-em-2026-0417-.*\.csv$/);
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-recall-'));
  const uiCsv = path.join(downloads, 'recall.csv');
  await download.saveAs(uiCsv);
  const uiBytes = fs.readFileSync(uiCsv);
  expect([...uiBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(uiBytes.toString('utf8')).toContain('\r\n');
  const uiRows = parse(uiBytes, { bom: true, columns: true }) as Record<string, string>[];
  expect(uiRows.map((r) => [r.client_last_name, r.used_as, r.numbing_lot, r.performed_at])).toEqual([
    ['Costa', 'numbing', LOT, '2026-03-03T10:00:00.000Z'],
    ['Okafor', 'numbing', LOT, '2026-03-30T08:00:00.000Z'],
  ]);
  expect(uiRows[0]!.client_phone).toBe("'+44 161 496 0000"); // the formula guard
  expect(uiRows[0]!.client_id).toBe(tom.id);
  expect(uiRows[1]!.client_email).toBe('zoe@example.org');
  expect(uiRows[1]!.practitioner_name).toBe('Dr Aisha Rahman');
  expect(uiRows[1]!.cartridge_lot).toBe('L2451-02');

  // 4. The same from the command line, while NeedleLog runs.
  const cliCsv = path.join(downloads, 'cli.csv');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(repoRoot, 'bin', 'needlelog.mjs'),
      'recall',
      '--data-dir',
      host.dataDir,
      '--lot',
      LOT,
      '--csv',
      cliCsv,
      '--as',
      'Dr Aisha Rahman',
    ],
    { env: { ...process.env, NEEDLELOG_PASSPHRASE: E2E_PASSPHRASE, NEEDLELOG_PIN: TEST_PIN } },
  );
  expect(stdout).toContain(`Lot ${LOT}: 2 clients, 2 sessions`);
  expect(stdout).toMatch(/Costa, Tom +1988-03-14 +\+44 161 496 0000/);
  expect(stdout).toMatch(/Okafor, Zoë .*zoe@example\.org/);
  const cliRows = parse(fs.readFileSync(cliCsv), { bom: true, columns: true }) as Record<string, string>[];
  expect(cliRows.map((r) => r.session_id)).toEqual(uiRows.map((r) => r.session_id));
  expect(watch.errors).toEqual([]);
});
