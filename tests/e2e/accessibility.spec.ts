import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { TEST_PIN, api, importPhoto, screenshot, seedCourse, watchErrors } from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';
import { plainJpeg } from '../support/images.js';

// axe-core on every main screen of the built renderer in Chromium at a laptop's 1366 px: no
// violation of WCAG 2.1 level A or AA. One clinic is seeded through the API (a client, a course of
// two sessions with photos, one session edited so it has history); the welcome screen gets an
// empty data directory of its own. A new screen is one more line in SCREENS.

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Clinic {
  clientId: string;
  courseId: string;
  /** Sessions 1 and 2 (March, with photos and consent) and 3 (this week, no photo consent). */
  sessionIds: string[];
}

interface Context extends Clinic {
  host: WebHost;
  /** The manager of the sign-in screens' clinic. */
  managerId: string;
  watch: ReturnType<typeof watchErrors>;
}

interface Screen {
  name: string;
  /**
   * Which host the screen is opened on: the seeded clinic, an empty data directory, or a clinic of
   * its own for the sign-in and lock screens (signing out there leaves the seeded one signed in).
   */
  host?: 'empty' | 'signIn';
  /** Brings the page to the screen, in the state to be checked, and waits until it is there. */
  open(page: Page, c: Context): Promise<void>;
}

const SCREENS: Screen[] = [
  {
    name: 'welcome',
    host: 'empty',
    open: async (page) => {
      await expect(page.getByRole('heading', { name: 'Welcome to NeedleLog' })).toBeVisible();
    },
  },
  {
    name: 'sign in',
    host: 'signIn',
    open: async (page, c) => {
      // Signed in until now: the page's first requests answered before the sign-out (else a 401 each).
      await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
      await api(c.host, 'auth.signOut', {});
      await page.reload();
      await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
      await page.getByRole('radio', { name: /^Dr Aisha Rahman/ }).check();
      c.watch.expectRefusal('auth.signIn', 400);
      await page.getByLabel(/^PIN/).fill('000000');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByLabel(/^PIN/)).toHaveAccessibleDescription(/That PIN is not right/);
    },
  },
  {
    name: 'locked',
    host: 'signIn',
    open: async (page, c) => {
      await api(c.host, 'auth.signIn', { practitionerId: c.managerId, pin: TEST_PIN });
      await page.reload();
      await page.getByRole('banner').getByRole('button', { name: 'Lock' }).click();
      await expect(page.getByRole('heading', { name: 'NeedleLog is locked', level: 1 })).toBeVisible();
    },
  },
  { name: 'clients', open: (page) => go(page, '#/', 'Clients') },
  {
    name: 'new client',
    open: async (page, c) => {
      await go(page, '#/', 'Clients');
      await page.getByRole('button', { name: 'New client' }).click();
      const dialog = page.getByRole('dialog', { name: 'New client' });
      c.watch.expectRefusal('clients.create', 400);
      await dialog.getByRole('button', { name: 'Save client' }).click();
      await expect(dialog.getByRole('alert')).toBeVisible();
    },
  },
  {
    name: 'client',
    open: async (page, c) => {
      await go(page, `#/clients/${c.clientId}`, 'Zoë Okafor');
      await expect(page.getByRole('alert').filter({ hasText: 'Contraindications' })).toBeVisible();
    },
  },
  {
    name: 'new course',
    open: async (page, c) => {
      await go(page, `#/clients/${c.clientId}`, 'Zoë Okafor');
      await page.getByRole('button', { name: 'New course' }).click();
      await expect(page.getByRole('dialog', { name: 'New course' })).toBeVisible();
    },
  },
  {
    name: 'course',
    open: async (page, c) => {
      await go(page, `#/courses/${c.courseId}`, 'Cheeks · Acne scars');
      await expect(page.getByRole('region', { name: 'Progress across the course' })).toBeVisible();
    },
  },
  {
    name: 'log session',
    open: async (page, c) => {
      await api(c.host, 'drafts.discard', { courseId: c.courseId });
      await go(page, `#/courses/${c.courseId}/log`, 'Log session');
      await expect(page.getByText(/Carried forward from session \d/).first()).toBeVisible();
    },
  },
  {
    name: 'log session, refused and warned',
    open: async (page, c) => {
      await api(c.host, 'drafts.discard', { courseId: c.courseId });
      await go(page, `#/courses/${c.courseId}/log`, 'Log session');
      const form = page.getByRole('form', { name: 'Session' });
      await form.getByRole('textbox', { name: /Needle depth/ }).fill('');
      await form.getByRole('textbox', { name: /Numbing time/ }).fill('75');
      await form
        .getByRole('radiogroup', { name: 'Pain' })
        .getByRole('radio', { name: '6', exact: true })
        .check();
      await form.getByRole('radiogroup', { name: 'Edema' }).getByRole('radio', { name: '3 Marked' }).check();
      await form.getByRole('button', { name: 'Add adverse event' }).click();
      c.watch.expectRefusal('sessions.create', 400);
      await page.getByRole('button', { name: 'Save session' }).click();
      await expect(page.getByRole('alert')).toContainText('The session was not saved.');
      await expect(page.getByRole('status').filter({ hasText: 'Draft saved' })).toBeVisible();
    },
  },
  {
    name: 'log session, draft offered',
    open: async (page, c) => {
      await SCREENS.find((s) => s.name === 'log session, refused and warned')!.open(page, c);
      await go(page, `#/courses/${c.courseId}`, 'Cheeks · Acne scars');
      await go(page, `#/courses/${c.courseId}/log`, 'Log session');
      await expect(page.getByRole('button', { name: 'Resume draft' })).toBeVisible();
    },
  },
  {
    name: 'log session, face map stepper open',
    open: async (page, c) => {
      await api(c.host, 'drafts.discard', { courseId: c.courseId });
      await go(page, `#/courses/${c.courseId}/log`, 'Log session');
      const map = page.getByRole('group', { name: 'Face map' });
      await map.getByRole('button', { name: /^Right cheek,/ }).click();
      const stepper = page.getByRole('group', { name: 'Right cheek', exact: true });
      await stepper.getByRole('button', { name: 'Deeper by 0.25 mm' }).click();
      await expect(map.getByRole('button', { name: 'Right cheek, 1 mm' })).toBeVisible();
    },
  },
  {
    name: 'session saved, with a warning',
    open: async (page, c) => {
      await api(c.host, 'drafts.discard', { courseId: c.courseId });
      await go(page, `#/courses/${c.courseId}/log`, 'Log session');
      const form = page.getByRole('form', { name: 'Session' });
      await form.getByRole('textbox', { name: /Needle depth/ }).fill('0.5');
      await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
      await page.getByRole('button', { name: 'Save session' }).click();
      await expect(page.getByRole('heading', { name: /^Session \d+ saved$/ })).toBeVisible();
      await expect(page.getByRole('alert')).toContainText('Saved. Check:');
      await expect(page.getByRole('region', { name: /^Photos of session \d+$/ })).toBeVisible();
    },
  },
  {
    name: 'edit session with history',
    open: async (page, c) => {
      await go(page, `#/sessions/${c.sessionIds[0]}/edit`, 'Edit session 1');
      await page.getByRole('button', { name: 'History' }).click();
      await expect(page.getByRole('region', { name: 'History' })).toContainText('Session changed');
      await expect(page.getByRole('region', { name: 'Photos of session 1' }).getByRole('img')).toHaveCount(2);
    },
  },
  {
    name: 'photo consent asked',
    open: async (page, c) => {
      await go(page, `#/sessions/${c.sessionIds[2]}/edit`, 'Edit session 3');
      const photos = page.getByRole('region', { name: 'Photos of session 3' });
      await photos.getByRole('button', { name: 'Use camera' }).click();
      await expect(page.getByRole('dialog', { name: 'Photo consent for session 3' })).toBeVisible();
    },
  },
  {
    name: 'sign session dialog',
    open: async (page, c) => {
      await go(page, `#/sessions/${c.sessionIds[0]}/edit`, 'Edit session 1');
      await page
        .getByRole('region', { name: 'Not signed yet' })
        .getByRole('button', { name: 'Sign session' })
        .click();
      await expect(page.getByRole('dialog', { name: 'Sign session 1' })).toBeVisible();
    },
  },
  {
    name: 'signed session with an addendum',
    open: async (page, c) => {
      const id = c.sessionIds[1]!;
      const state = await api<{ signatures: unknown[]; addenda: unknown[] }>(c.host, 'signing.get', { id });
      if (state.signatures.length === 0) await api(c.host, 'signing.sign', { sessionId: id, pin: TEST_PIN });
      if (state.addenda.length === 0) {
        await api(c.host, 'signing.amend', {
          sessionId: id,
          reason: 'Pain score misheard.',
          patch: { pain: 2 },
        });
      }
      await go(page, `#/sessions/${id}/edit`, 'Edit session 2');
      await expect(page.getByRole('region', { name: 'Signed session' })).toBeVisible();
      await expect(page.getByRole('listitem', { name: 'Addendum 1' })).toContainText('Pain score misheard.');
    },
  },
  {
    name: 'consent form',
    open: async (page, c) => {
      await go(page, `#/courses/${c.courseId}/consent`, 'Consent');
      await expect(page.getByText('Client signature: Sign here')).toBeVisible();
    },
  },
  {
    name: 'consent form, signed by typing',
    open: async (page, c) => {
      await go(page, `#/courses/${c.courseId}/consent`, 'Consent');
      const how = page.getByRole('group', { name: 'Client signature: how to sign' });
      await how.getByRole('radio', { name: /^Type the name/ }).check();
      await page.getByRole('textbox', { name: 'Client signature: type the full name' }).fill('Zoë Okafor');
      await page.getByRole('button', { name: 'Save signed consent' }).click();
      // Not ticked yet: refused, with the way to finish said beside the field.
      await expect(page.getByText('The client signs in the box first.')).toBeVisible();
    },
  },
  {
    name: 'photos and comparison',
    open: async (page, c) => {
      await go(page, `#/courses/${c.courseId}`, 'Cheeks · Acne scars');
      const frontal = page.getByRole('region', { name: 'Photos', exact: true }).getByRole('list', {
        name: 'Frontal',
      });
      await frontal.getByRole('button', { name: /^Select Session 1 Before/ }).click();
      await frontal.getByRole('button', { name: /^Select Session 2 After/ }).click();
      await page.getByRole('button', { name: 'Compare selected' }).click();
      const comparison = page.getByRole('region', { name: 'Photo comparison' });
      await expect(comparison.getByRole('slider', { name: 'Comparison slider' })).toBeVisible();
    },
  },
  {
    name: 'photos side by side',
    open: async (page, c) => {
      await SCREENS.find((s) => s.name === 'photos and comparison')!.open(page, c);
      const comparison = page.getByRole('region', { name: 'Photo comparison' });
      await comparison.getByRole('button', { name: 'Side by side' }).click();
      await expect(comparison.getByRole('figure')).toHaveCount(2);
    },
  },
  {
    name: 'overview',
    open: async (page) => {
      await go(page, '#/overview', 'Clinic overview');
      await expect(page.getByRole('img', { name: /Sessions per week/ })).toBeVisible();
    },
  },
  {
    name: 'overview, clients behind a bar',
    open: async (page) => {
      await go(page, '#/overview', 'Clinic overview');
      await page
        .getByRole('button', { name: /^Week of .*Show clients$/ })
        .last()
        .click();
      await expect(page.getByRole('region', { name: /Clients behind/ })).toContainText('Zoë Okafor');
    },
  },
  { name: 'exports', open: (page) => go(page, '#/exports', 'Exports') },
  {
    name: 'lot recall',
    open: async (page, c) => {
      await api(c.host, 'sessions.update', { id: c.sessionIds[0], patch: { numbingLot: 'EM-2026-0417' } });
      await go(page, '#/lot-recall/EM-2026-0417', 'Lot recall');
      await expect(page.getByRole('region', { name: 'Clients to contact' })).toContainText('Okafor, Zoë');
    },
  },
  {
    name: 'undo bar',
    open: async (page, c) => {
      const client = await api<{ id: string }>(c.host, 'clients.create', {
        firstName: 'Sam',
        lastName: 'Gone',
      });
      await go(page, `#/clients/${client.id}`, 'Sam Gone');
      await page.getByRole('button', { name: 'Delete client' }).click();
      await expect(page.getByRole('region', { name: 'Undo' })).toContainText('Sam Gone was deleted.');
    },
  },
  {
    name: 'settings and backups',
    open: async (page) => {
      await go(page, '#/settings', 'Settings');
      const backups = page.getByRole('region', { name: 'Backups' });
      await backups.getByRole('button', { name: 'Back up now' }).click();
      await expect(backups.getByRole('status').first()).toContainText('Backup made and checked');
    },
  },
];

/** Opens a screen by its address and waits for its level-1 heading. */
async function go(page: Page, hash: string, heading: string): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/${hash}`);
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}

let seeded: WebHost;
let empty: WebHost;
let signIn: WebHost;
let clinic: Clinic;
let signInManager = '';

test.beforeAll(async () => {
  [seeded, empty, signIn] = await Promise.all([startWebHost(), startWebHost(), startWebHost()]);
  clinic = await seedClinic(seeded);
  signInManager = (
    await seedCourse(signIn, { area: 'cheeks', indication: 'acne_scars', startedOn: '2026-03-02' })
  ).practitioner.id;
});

test.afterAll(async () => {
  expect(await Promise.all([seeded.stop(), empty.stop(), signIn.stop()])).toEqual([0, 0, 0]);
});

test.use({ viewport: { width: 1366, height: 800 } });

for (const screen of SCREENS) {
  test(`no WCAG 2.1 A/AA violations: ${screen.name}`, async ({ page }) => {
    const watch = watchErrors(page);
    const host = screen.host === 'empty' ? empty : screen.host === 'signIn' ? signIn : seeded;
    await page.goto(host.url);
    if (screen.host === undefined)
      await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');
    await screen.open(page, { ...clinic, host, watch, managerId: signInManager });
    // Let transitions and late renders settle before axe reads colours and names.
    await page.locator('body').evaluate(async (body) => void (await body.ownerDocument.fonts.ready));
    const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
    await screenshot(page, `a11y-${screen.name.replace(/[^a-z0-9]+/g, '-')}`);
    const found = result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`).join('\n'),
    );
    expect(found, `axe found on "${screen.name}"`).toEqual([]);
    expect(result.passes.length, 'axe ran its rules').toBeGreaterThan(10);
    expect(watch.errors).toEqual([]);
  });
}

/** A clinic with one client, a cheek course of two sessions, Before and After photos of each, and an edit. */
async function seedClinic(host: WebHost): Promise<Clinic> {
  const { practitioner, client, course } = await seedCourse(host, {
    area: 'cheeks',
    indication: 'acne_scars',
    startedOn: '2026-03-02',
  });
  const sessionIds: string[] = [];
  for (const [i, performedAt] of ['2026-03-02T10:00:00.000Z', '2026-03-30T10:00:00.000Z'].entries()) {
    const session = await api<{ id: string }>(host, 'sessions.create', {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt,
      zones: [{ zone: 'cheek_left', depthMm: 1.5 }],
      pain: 4 - i,
      erythema: 2,
      consentProcedure: true,
      photoConsent: 'record',
    });
    sessionIds.push(session.id);
    for (const kind of ['before', 'after'] as const) {
      await importPhoto(
        host,
        { sessionId: session.id, kind, view: 'frontal' },
        await plainJpeg(600, 750, i * 2 + (kind === 'after' ? 2 : 1)),
      );
    }
  }
  // A session this week, without photo consent, so the overview's sessions-per-week bars have
  // something to open and a photo for it asks for consent first.
  const thisWeek = await api<{ id: string }>(host, 'sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: new Date(Date.now() - 3_600_000).toISOString(),
    zones: [{ zone: 'cheek_left', depthMm: 1.5 }],
    consentProcedure: true,
  });
  await api(host, 'clients.update', {
    id: client.id,
    patch: { contraindications: ['anticoagulants'], contraindicationNotes: 'Apixaban 5 mg daily.' },
  });
  await api(host, 'sessions.update', {
    id: sessionIds[0],
    patch: { zones: [{ zone: 'cheek_left', depthMm: 1.25 }] },
  });
  return { clientId: client.id, courseId: course.id, sessionIds: [...sessionIds, thisWeek.id] };
}
