import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { api, screenshot, seedCourse, signInOnPage, TEST_PIN, watchErrors } from './support/pageKit.js';
import { repoRoot, startWebHost, type WebHost } from './support/webHost.js';

// Signed consent and signed sessions, as a practitioner meets them in Chromium through the browser
// host: a course without consent asks for it (a reason, or the client signs with the mouse); the
// session is signed with the PIN again; an edit of the signed session becomes an addendum with its
// reason, the value as signed still shown, and audit rows behind it; the PDF report prints it all.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

/** Draws a signature on a pad with mouse strokes: a wave, then an underline. */
async function drawSignature(page: Page, pad: Locator): Promise<void> {
  // Centred, clear of the sticky bar that holds the form's buttons.
  await pad.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await pad.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(0.1, 0.6));
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) await page.mouse.move(...at(0.1 + i * 0.03, 0.5 + 0.2 * Math.sin(i / 2)));
  await page.mouse.up();
  await page.mouse.move(...at(0.15, 0.8));
  await page.mouse.down();
  await page.mouse.move(...at(0.5, 0.82), { steps: 8 });
  await page.mouse.up();
}

test('consent signed with the mouse; a signed session corrected only by an addendum with its reason', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-09-01',
    consent: false,
  });
  await api(host, 'settings.update', { requireSignedConsent: true, locale: 'en-GB' });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');

  // ---------- a session without consent on file: asked for it, saved only with a reason ----------
  await page.goto(`${host.origin}/#/courses/${course.id}/log`);
  await expect(page.getByText('No signed consent is on file for this course.')).toBeVisible();
  const form = page.getByRole('form', { name: 'Session' });
  await form
    .getByRole('textbox', { name: /Needle depth/ })
    .first()
    .fill('0.4');
  const pain = (n: number) =>
    form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: String(n), exact: true });
  await pain(4).check();
  watch.expectRefusal('sessions.create', 409);
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('alert')).toContainText('This course has no signed consent on file.');
  await form.getByLabel('Reason for logging without signed consent').fill('Client signed the paper form.');
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();

  // ---------- consent: the form read and signed on screen by both ----------
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  await expect(page.getByRole('region', { name: 'Consent' })).toContainText(
    'No signed consent is on file for this course.',
  );
  await page.getByRole('link', { name: 'Sign consent' }).click();
  await expect(page.getByRole('heading', { name: 'Consent', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Consent form text')).toContainText('tram-track scarring');
  await expect(page.getByText('(version 1)')).toBeVisible();
  watch.expectRefusal('consents.sign', 400);
  await page.getByRole('radio', { name: /Teaching/ }).check();
  await page.getByRole('button', { name: 'Save signed consent' }).click();
  await expect(page.getByText('The client signs in the box first.')).toBeVisible();
  await expect(page.getByText('Client signature: Sign here')).toBeVisible();
  await drawSignature(page, page.getByRole('img', { name: /^Client signature: sign here/ }));
  await drawSignature(page, page.getByRole('img', { name: /^Practitioner signature \(Dr Aisha Rahman\)/ }));
  await screenshot(page, 'sign-01-consent-form');
  await page.getByRole('button', { name: 'Save signed consent' }).click();
  await expect(page.getByRole('heading', { name: 'Consent signed' })).toBeVisible();
  const client = page.getByRole('img', { name: 'Signature of Zoë Okafor' });
  await expect(client).toBeVisible();
  // Stored as the strokes drawn: two of the client's, drawn back as vectors.
  await expect(client.locator('polyline')).toHaveCount(2);
  await expect(page.getByText(/Photos: Teaching\./)).toBeVisible();
  await screenshot(page, 'sign-02-consent-signed');
  const consents = await api<
    { templateVersion: number; photoScope: string; clientSignature: { strokes: number[][][] } }[]
  >(host, 'consents.ofCourse', { courseId: course.id });
  expect(consents).toHaveLength(1);
  expect(consents[0]).toMatchObject({ templateVersion: 1, photoScope: 'teaching' });
  expect(consents[0]!.clientSignature.strokes[0]!.length).toBeGreaterThan(10);

  // ---------- sign the session with the PIN again ----------
  const sessions = await api<{ id: string }[]>(host, 'sessions.list', { courseId: course.id });
  const sessionId = sessions[0]!.id;
  await page.goto(`${host.origin}/#/sessions/${sessionId}/edit`);
  const panel = page.getByRole('region', { name: 'Not signed yet' });
  await expect(panel).toContainText('Logged without signed consent on file by Dr Aisha Rahman');
  await panel.getByRole('button', { name: 'Sign session' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign session 1' });
  await expect(dialog).toBeVisible();
  watch.expectRefusal('signing.sign', 400);
  await dialog.getByLabel(/^PIN/).fill('111111');
  await dialog.getByRole('button', { name: 'Sign session' }).click();
  await expect(dialog).toContainText('That PIN is not right.');
  await dialog.getByLabel(/^PIN/).fill(TEST_PIN);
  await screenshot(page, 'sign-03-sign-dialog');
  await dialog.getByRole('button', { name: 'Sign session' }).click();
  await expect(dialog).toBeHidden();
  const signed = page.getByRole('region', { name: 'Signed session' });
  await expect(signed).toContainText('Signed by Dr Aisha Rahman on');
  await expect(page.getByRole('button', { name: 'Delete session' })).toHaveCount(0);

  // ---------- the API refuses a plain edit, and says what to do instead ----------
  const edit = await fetch(`${host.origin}/api/sessions.update`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: sessionId, patch: { pain: 7 } }),
  });
  expect(edit.status).toBe(409);
  expect(((await edit.json()) as { error: { message: string } }).error.message).toMatch(
    /was signed by Dr Aisha Rahman on .*, so it can no longer be edited\. Add an addendum instead/,
  );

  // ---------- a correction: an addendum with its reason, the signed value still shown ----------
  await pain(6).check();
  watch.expectRefusal('signing.amend', 400);
  await page.getByRole('button', { name: 'Save as addendum' }).click();
  await expect(page.getByRole('alert')).toContainText('say why it is corrected');
  await form.getByLabel('Reason for the addendum').fill('Client reported pain 6 at the follow-up call.');
  await page.getByRole('button', { name: 'Save as addendum' }).click();
  const addendum = page.getByRole('listitem', { name: 'Addendum 1' });
  await expect(addendum).toContainText('Reason: Client reported pain 6 at the follow-up call.');
  await expect(addendum.getByRole('row', { name: /Pain/ })).toContainText('4');
  await expect(addendum.getByRole('row', { name: /Pain/ })).toContainText('6');
  await expect(addendum).toContainText('Dr Aisha Rahman');
  await expect(pain(6)).toBeChecked();
  await screenshot(page, 'sign-04-signed-session-addendum', signed);

  // The record as signed is kept beside the correction, and the audit has both rows.
  const state = await api<{
    signatures: { recordSha256: string }[];
    addenda: { id: string; changes: { before: { pain: number }; after: { pain: number } } }[];
  }>(host, 'signing.get', { id: sessionId });
  expect(state.addenda[0]!.changes).toEqual({ before: { pain: 4 }, after: { pain: 6 } });
  const addendumAudit = await api<{ action: string; actorName: string }[]>(host, 'audit.list', {
    entity: 'session_addendum',
    entityId: state.addenda[0]!.id,
  });
  expect(addendumAudit).toMatchObject([{ action: 'create', actorName: 'Dr Aisha Rahman' }]);
  const sessionAudit = await api<{ action: string; before: { pain: number }; after: { pain: number } }[]>(
    host,
    'audit.list',
    { entity: 'session', entityId: sessionId },
  );
  expect(sessionAudit.at(-1)).toMatchObject({ action: 'update', before: { pain: 4 }, after: { pain: 6 } });

  // The course page marks the session signed and shows the consent on file.
  await page.goto(`${host.origin}/#/courses/${course.id}`);
  await expect(page.getByRole('table').getByText('Signed', { exact: true })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Consent' }).getByRole('img', { name: 'Signature of Zoë Okafor' }),
  ).toBeVisible();

  // ---------- printed: the PDF report carries the consent with the drawn signatures ----------
  const exportPanel = page.getByRole('region', { name: 'Export' });
  // The page asks for the result once 1.5 s after the start; a report still being written (a busy
  // machine) answers 404 "not found yet", and the page follows the job's progress events instead.
  watch.expectRefusal('exports.result', 404);
  await exportPanel.getByRole('radio', { name: /PDF course report/ }).check();
  await exportPanel.getByRole('button', { name: 'Export' }).click();
  const link = exportPanel.getByRole('link', { name: 'Download' });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-signing-')), 'report.pdf');
  await download.saveAs(pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toMatch(
    /Consent to microneedling .*\(form version 1\), signed on .*\. Photo consent: Teaching\./,
  );
  expect(text).toContain('Client: Zoë Okafor');
  expect(text).toContain('Practitioner: Dr Aisha Rahman');
  expect(text).toContain('Reason: Client reported pain 6 at the follow-up call.');
  const artifacts = path.join(repoRoot, 'tests', 'artifacts', 'pdf');
  fs.mkdirSync(artifacts, { recursive: true });
  for (const old of fs.readdirSync(artifacts))
    if (old.startsWith('sign-e2e-')) fs.rmSync(path.join(artifacts, old));
  execFileSync('pdftoppm', ['-png', '-r', '80', pdf, path.join(artifacts, 'sign-e2e')]);
  expect(fs.readdirSync(artifacts).some((n) => n.startsWith('sign-e2e-') && n.endsWith('.png'))).toBe(true);
  expect(watch.errors).toEqual([]);
});

test('sessions left unsigned are listed for their practitioner; a second manager co-signs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-01-05',
  });
  const director = await api<{ id: string }>(host, 'practitioners.create', {
    name: 'Dr Director',
    role: 'manager',
  });
  await api(host, 'auth.resetPin', { id: director.id, pin: '97531864' });
  // Logged ten days ago and three weeks ago, never signed (the reminder age is 3 days by default).
  const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  for (const at of [day(21), day(10)]) {
    await api(host, 'sessions.create', {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: at,
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    });
  }
  await page.goto(host.url);
  const reminder = page.locator('details').filter({ hasText: 'Sessions to sign (2)' });
  await expect(reminder).toBeVisible();
  await reminder.getByText('Sessions to sign (2)').click();
  await expect(reminder).toContainText('Your sessions not signed after 3 days.');
  await screenshot(page, 'sign-05-sessions-to-sign', reminder);
  await reminder.getByRole('link', { name: 'Zoë Okafor, Lips / perioral, session 1' }).click();
  const panel = page.getByRole('region', { name: 'Not signed yet' });
  await panel.getByRole('button', { name: 'Sign session' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign session 1' });
  await dialog.getByLabel(/^PIN/).fill(TEST_PIN);
  await dialog.getByRole('button', { name: 'Sign session' }).click();
  await expect(page.getByRole('region', { name: 'Signed session' })).toContainText(
    'Signed by Dr Aisha Rahman',
  );
  // The list now holds only the other session.
  await page.getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByText('Sessions to sign (1)')).toBeVisible();

  // The medical director signs in and co-signs the signed session.
  await page.getByRole('banner').getByRole('button', { name: 'Switch practitioner' }).click();
  await signInOnPage(page, 'Dr Director', '97531864');
  // Not her sessions: nothing for her to sign.
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  await expect(page.getByText(/Sessions to sign/)).toHaveCount(0);
  const sessions = await api<{ id: string }[]>(host, 'sessions.list', { courseId: course.id });
  await page.goto(`${host.origin}/#/sessions/${sessions[0]!.id}/edit`);
  const signed = page.getByRole('region', { name: 'Signed session' });
  await signed.getByRole('button', { name: 'Co-sign' }).click();
  const cosign = page.getByRole('dialog', { name: /Co-sign/ });
  await cosign.getByLabel(/^PIN/).fill('97531864');
  await cosign.getByRole('button', { name: 'Co-sign session' }).click();
  await expect(signed).toContainText('co-signed by Dr Director');
  await expect(signed.getByRole('button', { name: 'Co-sign' })).toHaveCount(0);
  await screenshot(page, 'sign-06-cosigned', signed);
  const state = await api<{ signatures: { role: string; practitionerName: string }[] }>(host, 'signing.get', {
    id: sessions[0]!.id,
  });
  expect(state.signatures.map((g) => `${g.role} ${g.practitionerName}`)).toEqual([
    'author Dr Aisha Rahman',
    'cosigner Dr Director',
  ]);
  expect(watch.errors).toEqual([]);
});
