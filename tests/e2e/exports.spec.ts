import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect, test } from '@playwright/test';
import { api, screenshot, setUpClinic, signConsent, watchErrors } from './support/pageKit.js';
import { E2E_PASSPHRASE, startWebHost, type WebHost } from './support/webHost.js';

// Exports as a clinic manager uses them: a course's CSV from the course page (downloaded and read
// back), a clinic-wide archive bundle from the Exports screen, and that bundle imported back into
// the same clinic (nothing duplicated), and a damaged copy refused.

let host: WebHost;
test.beforeEach(async () => {
  host = await startWebHost();
});
test.afterEach(async () => {
  expect(await host.stop()).toBe(0);
});

async function seed() {
  const practitioner = await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await api(host, 'settings.update', {
    clinicName: 'Harbour Skin Clinic',
    currentPractitionerId: practitioner.id,
  });
  const client = await api<{ id: string }>(host, 'clients.create', {
    firstName: 'Zoë',
    lastName: 'Okafor, "Jr"',
  });
  const other = await api<{ id: string }>(host, 'clients.create', {
    firstName: '=HYPERLINK("x")',
    lastName: 'Test',
  });
  const course = await api<{ id: string }>(host, 'courses.create', {
    clientId: client.id,
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    plannedSessions: 4,
    plannedIntervalDays: 28,
    startedOn: '2026-03-02',
  });
  const otherCourse = await api<{ id: string }>(host, 'courses.create', {
    clientId: other.id,
    area: 'cheeks',
    indication: 'acne_scars',
    plannedSessions: 3,
    plannedIntervalDays: 28,
    startedOn: '2026-03-04',
  });
  await signConsent(host, course.id, 'Zoë Okafor');
  await signConsent(host, otherCourse.id, '=HYPERLINK("x") Test');
  for (const [i, at] of ['2026-03-02T10:00:00Z', '2026-03-30T10:00:00Z'].entries()) {
    await api(host, 'sessions.create', {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: at,
      zones: [{ zone: 'upper_lip', depthMm: 0.25 + i * 0.25 }],
      numbingAgent: 'emla',
      numbingMinutes: 30,
      pain: 3 + i,
      notes: i === 0 ? 'First session, lips "dry"\nreview in 4 weeks' : 'Second',
    });
  }
  await api(host, 'sessions.create', {
    courseId: otherCourse.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-04T11:00:00Z',
    zones: [{ zone: 'cheek_left', depthMm: 1.5 }],
  });
  return { course, client };
}

async function recordCounts() {
  const clients = await api<{ total: number }>(host, 'clients.list', {});
  return clients.total;
}

test('export a course CSV, export the clinic as a bundle and import it back without duplicates', async ({
  page,
}) => {
  const watch = watchErrors(page);
  // Each export asks for its result once 1.5 s after the start; one still being written (a busy
  // machine) answers 404 "not found yet", and the page follows the job's progress events instead.
  watch.expectRefusal('exports.result', 404);
  const { course } = await seed();
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-downloads-'));

  // 1. The course page: CSV (the default format), downloaded and read back.
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  const panel = page.getByRole('region', { name: 'Export' });
  await expect(panel.getByRole('radio', { name: /Spreadsheet \(CSV/ })).toBeChecked();
  await panel.getByRole('button', { name: 'Export' }).click();
  const link = panel.getByRole('link', { name: 'Download' });
  await expect(link).toBeVisible();
  await expect(panel.getByRole('status')).toContainText('Exported 2 sessions');
  await screenshot(page, '60-export-course-csv', panel);
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(csvDownload.suggestedFilename()).toMatch(
    /^needlelog-course-okafor-jr-zoe-lips_perioral-2026-03-02-.*\.csv$/,
  );
  const csvFile = path.join(downloads, 'course.csv');
  await csvDownload.saveAs(csvFile);
  const bytes = fs.readFileSync(csvFile);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes, { bom: true, columns: true, cast: true }) as Record<string, unknown>[];
  expect(rows).toHaveLength(2);
  expect(rows.map((r) => r.depth_upper_lip_mm)).toEqual([0.25, 0.5]);
  expect(rows[0]!.client_first_name).toBe('Zoë');
  expect(rows[0]!.client_last_name).toBe('Okafor, "Jr"');
  expect(rows[0]!.notes).toBe('First session, lips "dry"\nreview in 4 weeks');
  expect(rows[0]!.pain_0_10).toBe(3);

  // 2. The Exports screen: the whole clinic as an archive bundle.
  await page.getByRole('link', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  const clinic = page.getByRole('region', { name: 'Export the clinic' });
  // The page asks for the result once 1.5 s after the start; a bundle still being sealed (scrypt on a
  // busy machine) answers 404 "not found yet", and the page follows the job's progress events instead.
  watch.expectRefusal('exports.result', 404);
  await clinic.getByRole('radio', { name: /Archive bundle/ }).check();
  // Bundles are encrypted: by default under the clinic passphrase.
  await clinic.getByLabel(/Bundle passphrase/).fill(E2E_PASSPHRASE);
  await clinic.getByRole('button', { name: 'Export the clinic' }).click();
  await expect(clinic.getByRole('status')).toContainText('Exported 3 sessions', { timeout: 60_000 }); // scrypt + sealing on a loaded machine
  const [zipDownload] = await Promise.all([
    page.waitForEvent('download'),
    clinic.getByRole('link', { name: 'Download' }).click(),
  ]);
  const zipFile = path.join(downloads, zipDownload.suggestedFilename());
  expect(zipFile).toMatch(/needlelog-clinic-.*\.zip$/);
  await zipDownload.saveAs(zipFile);
  await screenshot(page, '61-exports-screen', clinic);

  // 3. Import it into the same clinic: verified, nothing duplicated, nothing changed.
  const before = await recordCounts();
  const importer = page.getByRole('region', { name: 'Import a bundle' });
  await importer.getByLabel('Bundle (.zip)').setInputFiles(zipFile);
  await importer.getByLabel(/Bundle passphrase/).fill(E2E_PASSPHRASE);
  await importer.getByRole('button', { name: 'Import' }).click();
  const report = importer.getByRole('status');
  await expect(report).toContainText('Imported. New: 0 clients, 0 courses, 0 sessions');
  await expect(report).toContainText(
    'Updated with newer versions from the bundle: 0 clients, 0 courses, 0 sessions',
  );
  expect(await recordCounts()).toBe(before);
  await screenshot(page, '62-import-same-clinic', importer);

  // 4. A damaged copy is refused with a clear message.
  const damaged = fs.readFileSync(zipFile);
  const at = Math.floor(damaged.length / 3);
  damaged[at] = (damaged[at] as number) ^ 0xff;
  const damagedFile = path.join(downloads, 'damaged.zip');
  fs.writeFileSync(damagedFile, damaged);
  watch.expectRefusal('exports.import', 400);
  await importer.getByLabel('Bundle (.zip)').setInputFiles(damagedFile);
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect(importer.getByRole('alert')).toContainText('Nothing was imported');
  expect(await recordCounts()).toBe(before);
  await screenshot(page, '63-import-refused', importer);

  expect(watch.errors).toEqual([]);
});
