import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { SCREENSHOTS, TEST_PIN, api, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { TYPED_SIGNATURE_ATTESTATION } from '../../contract/signing.js';
import { startWebHost, type WebHost } from './support/webHost.js';
import { plainJpeg } from '../support/images.js';

// A new clinic's first session with no mouse at all: first run, a client, a course, a session with
// its scales chosen by arrow keys, photos added from the keyboard, saved. Only keyboard.press and
// keyboard.type drive the page (the operating system's file chooser is answered through
// Playwright's filechooser event, as a person would answer it). At every stop of the Tab key the
// focused control shows a focus indicator.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

test.use({ viewport: { width: 1366, height: 800 } });

/** Presses Tab (or Shift+Tab) until `target` has focus, checking the focus indicator at each stop. */
async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    await expectFocusVisible(page);
  }
  throw new Error(`${target} was not reached within ${max} presses of Tab.`);
}

/**
 * The focused element, or the nearest of its ancestors drawing the indicator for it (a search box,
 * a file button wrapping its hidden input), has a visible outline of 2 px or more that is not the
 * page's background, and a size on screen.
 */
async function expectFocusVisible(page: Page): Promise<void> {
  const found = await page.locator('body').evaluate((body) => {
    type Element = typeof body;
    const focused = body.ownerDocument.activeElement as Element | null;
    const getComputedStyle = (el: Element) => body.ownerDocument.defaultView!.getComputedStyle(el);
    if (!focused || focused === body) return { ok: false, what: 'nothing focused' };
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? ` class="${String(el.className)}"` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    let el: Element | null = focused;
    for (let depth = 0; el && depth < 3; depth++, el = el.parentElement) {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const outlined =
        style.outlineStyle !== 'none' &&
        parseFloat(style.outlineWidth) >= 2 &&
        style.outlineColor !== 'rgba(0, 0, 0, 0)' &&
        style.outlineColor !== style.backgroundColor;
      if (outlined && box.width > 4 && box.height > 4) return { ok: true, what: describe(focused) };
    }
    const style = getComputedStyle(focused);
    return {
      ok: false,
      what: `${describe(focused)} (outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor};)`,
    };
  });
  expect(found.ok, `focus indicator on ${found.what}`).toBe(true);
}

/**
 * The native radio is the thing operated: as big as its tile (a finger's width at least) and the
 * element a click at its centre lands on, not a 1 px box or something covering it.
 */
async function expectOperable(radio: Locator): Promise<void> {
  // Centred first: at the bottom of the window the form's sticky Save bar may be over it.
  await radio.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await radio.boundingBox())!;
  expect(box.width, 'tile width').toBeGreaterThanOrEqual(44);
  expect(box.height, 'tile height').toBeGreaterThanOrEqual(44);
  const hit = await radio.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const found = el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return found === el ? 'the radio' : `<${found?.tagName.toLowerCase()} class="${found?.className}">`;
  });
  expect(hit, `a click at the centre of ${radio} lands on`).toBe('the radio');
}

test('first run to a saved session with photos, keyboard only', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const kb = page.keyboard;
  await page.goto(host.url);

  // ---- first run: the clinic name has focus
  const clinicName = page.getByRole('textbox', { name: 'Clinic name' });
  await expect(clinicName).toBeFocused();
  await expectFocusVisible(page);
  await kb.type('Harbour Skin Studio');
  await tabTo(page, page.getByRole('textbox', { name: 'Your name' }));
  await kb.type('Amara Osei');
  await tabTo(page, page.getByRole('textbox', { name: 'Credentials' }));
  await kb.type('RN');
  await tabTo(page, page.getByLabel(/^PIN/));
  await kb.type(TEST_PIN);
  await tabTo(page, page.getByLabel(/^Repeat PIN/));
  await kb.type(TEST_PIN);
  await tabTo(page, page.getByRole('button', { name: 'Start using NeedleLog' }));
  await kb.press('Enter');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();

  // ---- a client
  await tabTo(page, page.getByRole('button', { name: 'New client' }));
  await kb.press('Enter');
  const clientDialog = page.getByRole('dialog', { name: 'New client' });
  await expect(clientDialog.getByRole('textbox', { name: 'First name' })).toBeFocused();
  await kb.type('Lena');
  await tabTo(page, clientDialog.getByRole('textbox', { name: 'Last name', exact: true }));
  await kb.type('Fischer');
  await tabTo(page, clientDialog.getByRole('button', { name: 'Save client' }));
  await kb.press('Enter');
  await expect(page.getByRole('heading', { name: 'Lena Fischer', level: 1 })).toBeVisible();

  // ---- a course: the selects are chosen by typing the start of an option
  await tabTo(page, page.getByRole('button', { name: 'New course' }));
  await kb.press('Enter');
  const courseDialog = page.getByRole('dialog', { name: 'New course' });
  const area = courseDialog.getByRole('combobox', { name: 'Treatment area' });
  await expect(area).toBeFocused();
  await kb.type('Lips');
  await expect(area).toHaveValue('lips_perioral');
  await tabTo(page, courseDialog.getByRole('combobox', { name: 'Indication' }));
  await kb.type('Lip e');
  await expect(courseDialog.getByRole('combobox', { name: 'Indication' })).toHaveValue('lip_enhancement');
  await tabTo(page, courseDialog.getByRole('button', { name: 'Save course' }));
  await kb.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Lips / perioral · Lip enhancement', level: 1 }),
  ).toBeVisible();

  // ---- consent, signed by keyboard: each signer types their full name and ticks the attestation
  await tabTo(page, page.getByRole('link', { name: 'Sign consent' }));
  await kb.press('Enter');
  await expect(page.getByRole('heading', { name: 'Consent', level: 1 })).toBeVisible();
  const scopes = page.getByRole('group', { name: 'Photos may be used for' });
  await tabTo(page, scopes.getByRole('radio').first());
  await kb.press('ArrowDown');
  await expect(scopes.getByRole('radio', { name: /^Record only/ })).toBeChecked();
  const signers = [
    ['Client signature', 'Lena Fischer'],
    ['Practitioner signature (Amara Osei)', 'Amara Osei'],
  ] as const;
  for (const [i, [label, name]] of signers.entries()) {
    const how = page.getByRole('group', { name: `${label}: how to sign` });
    await tabTo(page, how.getByRole('radio', { name: /^Draw/ }));
    await kb.press('ArrowDown');
    await expect(how.getByRole('radio', { name: /^Type the name/ })).toBeChecked();
    await tabTo(page, page.getByRole('textbox', { name: `${label}: type the full name` }));
    await kb.type(name);
    const attest = page.getByRole('checkbox', { name: TYPED_SIGNATURE_ATTESTATION }).nth(i);
    await tabTo(page, attest);
    await kb.press('Space');
    await expect(attest).toBeChecked();
  }
  await screenshot(page, 'kb-12-consent-typed', page.getByRole('button', { name: 'Save signed consent' }));
  await tabTo(page, page.getByRole('button', { name: 'Save signed consent' }));
  await kb.press('Enter');
  const signedConsent = page.getByRole('status').filter({ hasText: 'Consent signed' });
  await expect(
    signedConsent.getByRole('img', { name: 'Signature of Lena Fischer, typed: Lena Fischer' }),
  ).toBeVisible();
  await expect(
    signedConsent.getByRole('img', { name: 'Signature of Amara Osei, typed: Amara Osei' }),
  ).toBeVisible();
  await expect(signedConsent).toContainText('Photos: Record only');
  await screenshot(page, 'kb-13-consent-signed', signedConsent);
  await tabTo(page, signedConsent.getByRole('link', { name: 'Back to course' }));
  await kb.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Lips / perioral · Lip enhancement', level: 1 }),
  ).toBeVisible();

  // ---- the session
  await tabTo(page, page.getByRole('link', { name: 'Log session' }));
  await kb.press('Enter');
  await expect(page.getByRole('heading', { name: 'Log session', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Session' });
  await tabTo(page, form.getByRole('textbox', { name: /Needle depth/ }).first());
  await kb.type('0.4');
  await tabTo(page, form.getByRole('combobox', { name: 'Numbing agent' }));
  await kb.type('BLT');
  await expect(form.getByRole('combobox', { name: 'Numbing agent' })).toHaveValue('blt');
  await tabTo(page, form.getByRole('textbox', { name: /Numbing time/ }));
  await kb.type('25');
  await tabTo(page, form.getByRole('textbox', { name: /Duration/ }));
  await kb.type('30');

  // Pain: Tab enters the group on its first tile; the arrow keys choose within it.
  const pain = form.getByRole('radiogroup', { name: 'Pain' });
  await tabTo(page, pain.getByRole('radio', { name: '0', exact: true }));
  for (let i = 0; i < 3; i++) await kb.press('ArrowRight');
  await expect(pain.getByRole('radio', { name: '3', exact: true })).toBeChecked();
  await expect(pain.getByRole('radio', { name: '3', exact: true })).toBeFocused();
  await expectFocusVisible(page);
  await kb.press('ArrowLeft');
  await expect(pain.getByRole('radio', { name: '2', exact: true })).toBeChecked();
  // Clear (beside the legend, before the tiles) empties the scale and leaves focus in the group.
  await tabTo(page, pain.getByRole('button', { name: 'Clear pain' }), { back: true });
  await kb.press('Enter');
  await expect(pain.getByRole('radio', { checked: true })).toHaveCount(0);
  await expect(pain.getByRole('radio', { name: '0', exact: true })).toBeFocused();
  for (let i = 0; i < 3; i++) await kb.press('ArrowRight');
  await expect(pain.getByRole('radio', { name: '3', exact: true })).toBeChecked();
  await expect(pain.getByRole('radio', { checked: true })).toHaveCount(1);
  await expectOperable(pain.getByRole('radio', { name: '3', exact: true }));

  // Erythema, a worded scale: "2 Moderate" by two presses of →.
  const erythema = form.getByRole('radiogroup', { name: 'Erythema' });
  await tabTo(page, erythema.getByRole('radio', { name: '0 None' }));
  await kb.press('ArrowRight');
  await kb.press('ArrowRight');
  await expect(erythema.getByRole('radio', { name: '2 Moderate' })).toBeChecked();
  await expectFocusVisible(page);
  await expectOperable(erythema.getByRole('radio', { name: '3 Marked' }));
  // Every worded tile keeps to one row at 1366 px: "3 Marked" beside "0 None".
  const tops = await erythema
    .getByRole('radio')
    .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  expect(new Set(tops).size, `tile tops ${tops.join(', ')}`).toBe(1);
  const response = page.getByRole('region', { name: 'Response' });
  await response.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await response.screenshot({ path: path.join(SCREENSHOTS, 'kb-20-response-scales.png') });

  await tabTo(page, form.getByRole('checkbox', { name: 'Procedure consent confirmed' }));
  await kb.press('Space');
  await expect(form.getByRole('checkbox', { name: 'Procedure consent confirmed' })).toBeChecked();
  const photoConsent = form.getByRole('radiogroup', { name: 'Photo consent' });
  await tabTo(page, photoConsent.getByRole('radio', { name: 'None' }));
  await kb.press('ArrowRight');
  await expect(photoConsent.getByRole('radio', { name: 'Record only' })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Save session' }));
  await screenshot(page, 'kb-21-save-focused', page.getByRole('button', { name: 'Save session' }));
  await kb.press('Enter');
  await expect(page.getByRole('heading', { name: 'Session 1 saved' })).toBeVisible();

  // ---- photos of the saved session: photo type by arrow keys, the file chooser opened by Space
  const photos = page.getByRole('region', { name: 'Photos of session 1' });
  const before = photos.getByRole('radio', { name: 'Before' });
  await tabTo(page, before);
  await expect(before).toBeChecked();
  await kb.press('ArrowRight');
  await expect(photos.getByRole('radio', { name: 'After' })).toBeChecked();
  await kb.press('ArrowLeft');
  await expect(before).toBeChecked();
  await expectFocusVisible(page);
  await expectOperable(photos.getByRole('radio', { name: 'After' }));
  await photos.screenshot({ path: path.join(SCREENSHOTS, 'kb-22-photo-type-focused.png') });
  await tabTo(page, photos.getByLabel('Add photos from files'));
  const chooser = page.waitForEvent('filechooser');
  await kb.press('Space');
  await (
    await chooser
  ).setFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: await plainJpeg(600, 750, 3) });
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(photos.getByRole('img', { name: 'Before, Frontal' })).toBeVisible();

  // Then After, the same way.
  await tabTo(page, photos.getByRole('radio', { name: 'Before' }), { back: true });
  await kb.press('ArrowRight');
  await expect(photos.getByRole('radio', { name: 'After' })).toBeChecked();
  await tabTo(page, photos.getByLabel('Add photos from files'));
  const chooser2 = page.waitForEvent('filechooser');
  await kb.press('Enter');
  await (
    await chooser2
  ).setFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await plainJpeg(600, 750, 4) });
  await expect(photos.getByRole('img', { name: 'After, Frontal' })).toBeVisible();
  await screenshot(page, 'kb-23-session-saved-with-photos', photos);

  // ---- back to the course: the session and its photos are there
  await tabTo(page, page.getByRole('link', { name: 'Back to course' }).first(), { back: true });
  await kb.press('Enter');
  await expect(
    page.getByRole('heading', { name: 'Lips / perioral · Lip enhancement', level: 1 }),
  ).toBeVisible();
  const frontal = page.getByRole('region', { name: 'Photos', exact: true }).getByRole('list', {
    name: 'Frontal',
  });
  await expect(frontal.getByRole('listitem')).toHaveCount(2);

  const clients = await api<{ items: { id: string }[] }>(host, 'clients.list', {});
  const [course] = await api<{ id: string }[]>(host, 'courses.list', { clientId: clients.items[0]!.id });
  const [session] = await api<
    { pain: number | null; erythema: number | null; photoConsent: string; numbingAgent: string }[]
  >(host, 'sessions.list', { courseId: course!.id });
  expect(session).toMatchObject({ pain: 3, erythema: 2, photoConsent: 'record', numbingAgent: 'blt' });
  expect(watch.errors).toEqual([]);
});

test('the photo consent prompt, keyboard only: Escape leaves it, arrow keys choose, focus comes back', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const kb = page.keyboard;
  const { practitioner, course } = await seedCourse(host, {
    area: 'lips_perioral',
    indication: 'lip_enhancement',
    startedOn: '2026-03-02',
  });
  // Saved with the form's default photo consent: none, so the first photo asks for it.
  const session = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00.000Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
  });
  await page.goto(host.url);
  await expect(page.getByRole('banner')).toBeVisible();
  await page.goto(`${host.origin}/#/sessions/${session.id}/edit`);
  await expect(page.getByRole('heading', { name: 'Edit session 1', level: 1 })).toBeVisible();
  const photos = page.getByRole('region', { name: 'Photos of session 1' });
  const dialog = page.getByRole('dialog', { name: 'Photo consent for session 1' });

  // The camera asks first; Escape closes the question and gives focus back to the camera button.
  // (Shift+Tab from the top of the page reaches the photos at its end soonest.)
  const camera = photos.getByRole('button', { name: 'Use camera' });
  await tabTo(page, camera, { back: true });
  await kb.press('Enter');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /Record only/ })).toBeFocused();
  await expectFocusVisible(page);
  await kb.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(camera).toBeFocused();
  await expectFocusVisible(page);

  // A file: the question opens on the first scope; ↓ chooses Teaching; Tab, Enter records it.
  const files = photos.getByLabel('Add photos from files');
  await tabTo(page, files, { back: true });
  const chooser = page.waitForEvent('filechooser');
  await kb.press('Space');
  await (
    await chooser
  ).setFiles({ name: 'lips.jpg', mimeType: 'image/jpeg', buffer: await plainJpeg(900, 600, 5) });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /Record only/ })).toBeFocused();
  await kb.press('ArrowDown');
  await expect(dialog.getByRole('radio', { name: /Teaching/ })).toBeChecked();
  await expectFocusVisible(page);
  await screenshot(page, 'kb-24-photo-consent-asked', dialog);
  await tabTo(page, dialog.getByRole('button', { name: 'Record consent and continue' }));
  await kb.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(photos.getByText('1 of 1 imported')).toBeVisible();
  await expect(photos.getByRole('list', { name: 'Photos of session 1' }).getByRole('listitem')).toContainText(
    'Photo consent: Teaching',
  );
  // Focus is back where the person was, not lost to the page.
  await expect(files).toBeFocused();
  await expectFocusVisible(page);
  await screenshot(page, 'kb-25-photo-consent-recorded', photos);

  const saved = await api<{ photoConsent: string }>(host, 'sessions.get', { id: session.id });
  expect(saved.photoConsent).toBe('teaching');
  expect(watch.errors).toEqual([]);
});
