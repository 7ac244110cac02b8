import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type ConsoleMessage, type Locator, type Page } from '@playwright/test';
import { strokes } from '../../support/signatures.js';
import { repoRoot, type WebHost } from './webHost.js';

export const SCREENSHOTS = path.join(repoRoot, 'tests', 'artifacts', 'screenshots');

/**
 * Collects console errors and page errors. A refused request (4xx by design) is logged by Chromium
 * as a console error; a test declares each one it expects, and only those are let through.
 */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  const expected: ((msg: ConsoleMessage) => boolean)[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expected.some((isExpected) => isExpected(msg))) return;
    errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // A CSP refusal (an eval such as zod's `new Function` probe, an inline script, a remote load) is an
  // event in the page, not a console message: the page reports it to the console as an error.
  void page.addInitScript(() => {
    const doc = (
      globalThis as unknown as { document: { addEventListener(t: string, f: (e: never) => void): void } }
    ).document;
    doc.addEventListener('securitypolicyviolation', (e: { violatedDirective: string; blockedURI: string }) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    errors,
    expectRefusal(channel: string, status: number) {
      expected.push(
        (msg) => msg.text().includes(`status of ${status}`) && msg.location().url.endsWith(`/api/${channel}`),
      );
    },
    /** Every API request, the event stream included, refused for a bad token. */
    expectUnauthorized() {
      expected.push(
        (msg) =>
          msg.location().url.includes('/api/') &&
          (msg.text().includes('status of 401') || msg.text().includes('HTTP status 401')),
      );
    },
  };
}

/**
 * A screenshot into tests/artifacts/screenshots: the viewport with `inView` shown, or the whole page,
 * scrolled to the end first so sticky bars (a form's Save) sit in their place under the content.
 */
export async function screenshot(page: Page, name: string, inView?: Locator): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (inView) {
    await inView.scrollIntoViewIfNeeded();
    await page.screenshot({ path: file });
    return;
  }
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 1e7),
  );
  await page.screenshot({ path: file, fullPage: true });
}

/** One API call straight to the host, as a test fixture would (not through the page). */
export async function api<T>(host: WebHost, channel: string, input: unknown): Promise<T> {
  const response = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const reply = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${channel}: ${reply.error?.message}`);
  return reply.value as T;
}

/** The PIN of practitioners the tests set up (6 digits, the shortest allowed). */
export const TEST_PIN = '480211';
/** The demo clinic's manager and her PIN (as `needlelog demo` prints them). */
export const DEMO_MANAGER = { name: 'Dr Aisha Rahman', pin: '246810' };

/**
 * First run through the API: the clinic and its first practitioner (a manager, PIN TEST_PIN), signed
 * in. The session belongs to the launch secret, so a page opened at host.url is signed in too.
 */
export async function setUpClinic(
  host: WebHost,
  who: { name: string; credentials?: string; clinicName?: string },
): Promise<{ id: string }> {
  const status = await api<{ practitioner: { id: string } }>(host, 'auth.setup', {
    clinicName: who.clinicName ?? 'Harbour Skin Clinic',
    name: who.name,
    credentials: who.credentials ?? '',
    pin: TEST_PIN,
  });
  return status.practitioner;
}

/** Signs in on the sign-in screen: picks the name, types the PIN. */
export async function signInOnPage(page: Page, name: string, pin: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: new RegExp(`^${name}`) }).check();
  await page.getByLabel(/^PIN/).fill(pin);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('banner')).toContainText(name);
}

/**
 * The client's and the signed-in practitioner's signatures on the clinic's consent form for a
 * course, through the API: what a course needs before its sessions are logged (the default).
 */
export async function signConsent(host: WebHost, courseId: string, clientName = 'Zoë Okafor'): Promise<void> {
  const settings = await api<{ consentTemplate: { version: number } }>(host, 'settings.get', {});
  await api(host, 'consents.sign', {
    courseId,
    templateVersion: settings.consentTemplate.version,
    photoScope: 'record',
    clientName,
    clientSignature: strokes(3),
    practitionerSignature: strokes(2),
  });
}

/**
 * A clinic with one practitioner (the manager, signed in), one client and one course with its
 * consent signed (`consent: false`: none yet), seeded through the API.
 */
export async function seedCourse(
  host: WebHost,
  course: {
    area: string;
    indication: string;
    startedOn: string;
    plannedSessions?: number;
    consent?: boolean;
  },
): Promise<{ practitioner: { id: string }; client: { id: string }; course: { id: string } }> {
  const practitioner = await setUpClinic(host, { name: 'Dr Aisha Rahman', credentials: 'MBBS' });
  await api(host, 'settings.update', {
    clinicName: 'Harbour Skin Clinic',
    currentPractitionerId: practitioner.id,
  });
  const client = await api<{ id: string }>(host, 'clients.create', { firstName: 'Zoë', lastName: 'Okafor' });
  const { consent = true, ...fields } = course;
  const created = await api<{ id: string }>(host, 'courses.create', {
    clientId: client.id,
    plannedSessions: course.plannedSessions ?? 4,
    plannedIntervalDays: 28,
    ...fields,
  });
  if (consent) await signConsent(host, created.id);
  return { practitioner, client, course: created };
}

/** photos.import as the renderer sends it to the browser host: the file as the body, the fields in a header. */
export function postPhoto(
  host: WebHost,
  fields: { sessionId: string; kind: string; view: string },
  data: Buffer,
): Promise<Response> {
  return fetch(`${host.origin}/api/photos.import`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${host.token}`,
      'Content-Type': 'application/octet-stream',
      'X-NeedleLog-Input': encodeURIComponent(JSON.stringify({ ...fields, fileName: 'photo.jpg' })),
    },
    body: new Uint8Array(data),
  });
}

/** postPhoto that must succeed (a fixture). */
export async function importPhoto(
  host: WebHost,
  fields: { sessionId: string; kind: string; view: string },
  data: Buffer,
): Promise<void> {
  const reply = (await (await postPhoto(host, fields, data)).json()) as {
    ok: boolean;
    error?: { message: string };
  };
  if (!reply.ok) throw new Error(`photos.import: ${reply.error?.message}`);
}

/** axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each (none: []). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}
