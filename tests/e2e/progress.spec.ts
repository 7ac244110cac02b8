import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { AREAS, type Area } from '../../contract/domain.js';
import {
  api,
  DEMO_MANAGER,
  screenshot,
  SCREENSHOTS,
  setUpClinic,
  signConsent,
  signInOnPage,
  watchErrors,
} from './support/pageKit.js';
import { startWebHost, type WebHost } from './support/webHost.js';

// Progress across a course (charts, their tables, the photo strip) and the clinic overview, through
// the browser host in Chromium: the demo clinic, and courses of 1, 2 and 12 sessions seeded by API.

let host: WebHost;

test.beforeEach(async () => {
  host = await startWebHost();
});

test.afterEach(async () => {
  const code = await host.stop();
  expect(code, `needlelog web should exit cleanly on SIGTERM; stderr:\n${host.output().stderr}`).toBe(0);
});

interface Zone {
  zone: string;
  depthMm: number;
}
interface SessionValues {
  id: string;
  number: number;
  performedAt: string;
  zones: Zone[];
  pain: number | null;
  erythema: number | null;
  edema: number | null;
  bleeding: number | null;
  gaisPractitioner: number | null;
  gaisClient: number | null;
  satisfaction: number | null;
}

const progressSection = (page: Page) => page.getByRole('region', { name: 'Progress across the course' });

async function openChart(page: Page, title: string): Promise<Locator> {
  const section = progressSection(page);
  await section.getByRole('tab', { name: title, exact: true }).click();
  const panel = section.getByRole('tabpanel', { name: title, exact: true });
  await expect(panel).toBeVisible();
  return panel;
}

/** The chart's table, as rows of cell texts (header row first). */
async function tableOf(panel: Locator): Promise<string[][]> {
  await panel.getByRole('button', { name: 'Show as table' }).click();
  const table = panel.getByRole('table');
  await expect(table).toBeVisible();
  const rows = await table.getByRole('row').all();
  return Promise.all(
    rows.map(async (r) => (await r.locator('th, td').allTextContents()).map((t) => t.trim())),
  );
}

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

test('the demo clinic: a course chart whose table matches the sessions, and the overview with its clients', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Explore with a demo clinic' }).click();
  await expect(page.getByText(/Demo clinic loaded: \d+ clients\./)).toBeVisible({ timeout: 60_000 });
  // Nobody is signed in to a demo clinic yet: its manager signs in with the PIN it shows.
  await signInOnPage(page, DEMO_MANAGER.name, DEMO_MANAGER.pin);

  // A demo course with several sessions, found through the API.
  const clients = await api<{ items: { id: string }[] }>(host, 'clients.list', { limit: 100 });
  let course: { id: string; sessionCount: number } | undefined;
  for (const c of clients.items) {
    const courses = await api<{ id: string; sessionCount: number }[]>(host, 'courses.list', {
      clientId: c.id,
    });
    course = courses.find((k) => k.sessionCount >= 4);
    if (course) break;
  }
  expect(course, 'the demo clinic has a course with 4+ sessions').toBeDefined();
  const sessions = await api<SessionValues[]>(host, 'sessions.list', { courseId: course!.id });

  await page.goto(`${host.origin}/#/courses/${course!.id}`);
  const section = progressSection(page);
  await expect(section.getByRole('img', { name: /Needle depth/ })).toBeVisible();
  await expect(section.getByRole('tab')).not.toHaveCount(0);

  // Needle depth: one column per zone, each row the session's depths.
  const depthRows = await tableOf(await openChart(page, 'Needle depth'));
  const zones = depthRows[0]!.slice(3, -1).map((h) => h.replace(/ \(mm\)$/, ''));
  expect(depthRows).toHaveLength(sessions.length + 1);
  for (const s of sessions) {
    const row = depthRows[s.number]!;
    expect(row[0]).toBe(String(s.number));
    const expected = zones.map((label) => {
      const z = s.zones.find((x) => AREAS[x.zone as Area] === label);
      return z ? String(Number(z.depthMm.toFixed(2))) : '—';
    });
    expect(row.slice(3, 3 + zones.length)).toEqual(expected);
  }
  // Pain, immediate response and GAIS: exactly the saved values, a dash where none was recorded.
  const painRows = await tableOf(await openChart(page, 'Pain'));
  expect(painRows.slice(1).map((r) => r[3])).toEqual(sessions.map((s) => cell(s.pain)));
  const responseRows = await tableOf(await openChart(page, 'Immediate response'));
  expect(responseRows.slice(1).map((r) => r.slice(3, 6))).toEqual(
    sessions.map((s) => [cell(s.erythema), cell(s.edema), cell(s.bleeding)]),
  );
  const gaisRows = await tableOf(await openChart(page, 'GAIS'));
  expect(gaisRows.slice(1).map((r) => r.slice(3, 5))).toEqual(
    sessions.map((s) => [cell(s.gaisPractitioner), cell(s.gaisClient)]),
  );
  const depthPanel = await openChart(page, 'Needle depth');
  await depthPanel.getByRole('button', { name: 'Show as chart' }).click();
  await section.screenshot({ path: path.join(SCREENSHOTS, '4x-progress-demo-course.png') });

  // The overview: figures, and a figure opens the clients behind it, each linking to its course.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Clinic overview', level: 1 })).toBeVisible();
  const active = page.getByRole('button', { name: /Active courses/ });
  await expect(active).toBeVisible();
  const activeCount = Number((await active.locator('.figure-value').innerText()).trim());
  expect(activeCount).toBeGreaterThan(0);
  await expect(page.getByRole('img', { name: /Sessions per week/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Adverse events by area' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Change in client satisfaction by area' })).toBeVisible();
  await screenshot(page, '4x-overview');

  await active.click();
  const drill = page.getByRole('region', { name: /Clients behind: Active courses/ });
  await expect(drill).toBeVisible();
  const links = drill.getByRole('listitem').getByRole('link', { name: / — / });
  await expect(links).toHaveCount(Math.min(activeCount, 100));
  await screenshot(page, '4x-overview-drill', drill);

  // The same filters narrow every figure: one area, then back.
  await page.getByRole('combobox', { name: 'Area' }).selectOption('lips_perioral');
  await expect(page.getByRole('region', { name: /Clients behind/ })).toHaveCount(0);
  await page.getByRole('button', { name: /Active courses/ }).click();
  const lipsLinks = page.getByRole('region', { name: /Clients behind/ }).getByRole('link', { name: / — / });
  await expect(lipsLinks.first()).toContainText('Lips / perioral');

  // Sessions per week: its table has the same numbers, and each week opens its clients.
  const weekChart = page.getByRole('figure', { name: 'Sessions per week' });
  await weekChart.getByRole('button', { name: 'Show as table' }).click();
  await expect(weekChart.getByRole('table')).toBeVisible();

  await lipsLinks.first().click();
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  await expect(progressSection(page).getByRole('img', { name: /Needle depth/ })).toBeVisible();

  expect(watch.errors).toEqual([]);
});

test('charts of 1, 2 and 12 sessions; a session logged through the form shows in the tables', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const watch = watchErrors(page);
  const practitioner = await setUpClinic(host, { name: 'Dr Aisha Rahman' });
  await api(host, 'settings.update', {
    clinicName: 'Harbour Skin Clinic',
    currentPractitionerId: practitioner.id,
  });
  const newCourse = async (firstName: string, area: string, indication: string, plannedSessions: number) => {
    const client = await api<{ id: string }>(host, 'clients.create', { firstName, lastName: 'Okafor' });
    const made = await api<{ id: string }>(host, 'courses.create', {
      clientId: client.id,
      area,
      indication,
      plannedSessions,
      plannedIntervalDays: 28,
      startedOn: '2026-01-05',
    });
    await signConsent(host, made.id, `${firstName} Okafor`);
    return made;
  };
  const log = (courseId: string, day: string, values: Record<string, unknown>) =>
    api(host, 'sessions.create', {
      courseId,
      practitionerId: practitioner.id,
      performedAt: `${day}T10:00:00Z`,
      ...values,
    });

  // One session of a lip course: a lone point per line, no interval.
  const one = await newCourse('Una', 'lips_perioral', 'lip_enhancement', 4);
  await log(one.id, '2026-01-05', {
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    pain: 3,
    erythema: 1,
    satisfaction: 6,
    lipFullnessUpper: 2,
    lipFullnessLower: 3,
  });

  // Two sessions of a full-face course, the second with an adverse event.
  const two = await newCourse('Dara', 'full_face', 'fine_lines', 3);
  await log(two.id, '2026-01-05', {
    zones: [
      { zone: 'forehead', depthMm: 0.5 },
      { zone: 'cheek_left', depthMm: 0.75 },
      { zone: 'periorbital_left', depthMm: 0.25 },
    ],
    pain: 4,
    erythema: 2,
    edema: 1,
    bleeding: 1,
    gaisPractitioner: 4,
    gaisClient: 4,
    satisfaction: 5,
  });
  await log(two.id, '2026-02-02', {
    zones: [
      { zone: 'forehead', depthMm: 0.5 },
      { zone: 'cheek_left', depthMm: 1.0 },
    ],
    pain: 5,
    erythema: 2,
    edema: 2,
    bleeding: 1,
    gaisPractitioner: 3,
    gaisClient: 2,
    satisfaction: 7,
    adverseEvents: [{ kind: 'bruising', severity: 'mild', onsetOn: '2026-02-03' }],
  });

  // Twelve sessions of an acne-scar course: two late, values missing here and there, two adverse events.
  const twelve = await newCourse('Mira', 'cheeks', 'acne_scars', 12);
  const gaps = [0, 28, 28, 30, 45, 28, 26, 28, 40, 28, 28, 27];
  let day = Date.parse('2026-01-05T00:00:00Z');
  for (let i = 0; i < 12; i++) {
    day += gaps[i]! * 86_400_000;
    await log(twelve.id, new Date(day).toISOString().slice(0, 10), {
      zones: [
        { zone: 'cheek_left', depthMm: Math.min(2.5, 1.0 + i * 0.15) },
        ...(i >= 3 ? [{ zone: 'chin', depthMm: Math.min(2.0, 0.75 + i * 0.1) }] : []),
      ],
      pain: i === 4 ? null : Math.min(10, 3 + (i % 4)),
      erythema: i === 7 ? null : 1 + (i % 3),
      edema: i % 2,
      bleeding: i === 7 ? null : 2,
      gaisPractitioner: i === 0 ? null : Math.max(1, 4 - Math.floor(i / 3)),
      gaisClient: i === 0 || i === 6 ? null : Math.max(1, 4 - Math.floor(i / 4)),
      satisfaction: i === 5 ? null : Math.min(10, 4 + Math.floor(i / 2)),
      goodmanBaron: i % 3 === 0 ? Math.max(1, 4 - Math.floor(i / 4)) : null,
      adverseEvents:
        i === 2 || i === 9
          ? [{ kind: i === 2 ? 'acne_flare' : 'pih', severity: 'mild', onsetOn: '2026-12-01' }]
          : [],
    });
  }

  await page.goto(host.url);
  await expect(page.getByRole('banner')).toContainText('Harbour Skin Clinic');

  for (const [course, name, sessions] of [
    [one, '4x-progress-1-session', 1],
    [two, '4x-progress-2-sessions', 2],
    [twelve, '4x-progress-12-sessions', 12],
  ] as const) {
    await page.goto(`${host.origin}/#/courses/${course.id}`);
    const section = progressSection(page);
    const depth = section.getByRole('img', { name: /Needle depth/ });
    await expect(depth).toBeVisible();
    await expect(depth).toHaveAccessibleName(new RegExp(`over ${sessions} sessions?:`));
    await expect(section.getByRole('tabpanel').locator('.x-number')).toHaveCount(sessions);
    await section.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }

  // The 12-session course: late sessions and adverse events stand out; missing values are gaps.
  const section = progressSection(page);
  await expect(section.getByText('2 late sessions (shaded)')).toBeVisible();
  await expect(section.getByText(/adverse events on 2 sessions/)).toBeVisible();
  await expect(section.getByRole('tabpanel').locator('.late-band')).toHaveCount(2);
  const pain = await openChart(page, 'Pain');
  await expect(pain.locator('.ae-marker')).toHaveCount(2);
  // Session 5 has no pain score: the line breaks there, into two pieces.
  const painPath = await pain.locator('[data-series="pain"] > path').first().getAttribute('d');
  expect(painPath!.match(/M/g)).toHaveLength(2);
  await section.screenshot({ path: path.join(SCREENSHOTS, '4x-progress-12-sessions-pain.png') });
  const gais = await openChart(page, 'GAIS');
  await section.screenshot({ path: path.join(SCREENSHOTS, '4x-progress-12-sessions-gais.png') });
  const gaisRows = await tableOf(gais);
  expect(gaisRows[1]!.slice(3, 5)).toEqual(['—', '—']);
  expect(gaisRows[5]![2]).toBe('45 d · late (plan 28 d)');
  await section.screenshot({ path: path.join(SCREENSHOTS, '4x-progress-12-sessions-table.png') });

  // A second session of the lip course, logged through the form with known values.
  await page.goto(`${host.origin}/#/courses/${one.id}/log`);
  const form = page.getByRole('form', { name: 'Session' });
  await expect(page.getByText('Session 2 of 4')).toBeVisible();
  await form.getByLabel('Session date and time').fill('2026-02-09T10:00');
  await form.getByRole('textbox', { name: /Needle depth/ }).fill('0.5');
  await form.getByRole('radiogroup', { name: 'Pain' }).getByRole('radio', { name: '6', exact: true }).check();
  await form.getByRole('radiogroup', { name: 'Erythema' }).getByRole('radio', { name: /^2/ }).check();
  await form
    .getByRole('radiogroup', { name: 'GAIS (practitioner)' })
    .getByRole('radio', { name: '2 Much improved' })
    .check();
  await form
    .getByRole('radiogroup', { name: 'Client satisfaction' })
    .getByRole('radio', { name: '8', exact: true })
    .check();
  await form.getByRole('checkbox', { name: 'Procedure consent confirmed' }).check();
  await page.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: 'Session 2 saved' })).toBeVisible();

  await page.goto(`${host.origin}/#/courses/${one.id}`);
  const depthRows = await tableOf(await openChart(page, 'Needle depth'));
  expect(depthRows.slice(1).map((r) => [r[0], r[3]])).toEqual([
    ['1', '0.4'],
    ['2', '0.5'],
  ]);
  expect(depthRows[2]![2]).toBe('35 d');
  const painRows = await tableOf(await openChart(page, 'Pain'));
  expect(painRows.slice(1).map((r) => r[3])).toEqual(['3', '6']);
  const responseRows = await tableOf(await openChart(page, 'Immediate response'));
  expect(responseRows.slice(1).map((r) => r.slice(3, 6))).toEqual([
    ['1', '—', '—'],
    ['2', '—', '—'],
  ]);
  const gaisRows1 = await tableOf(await openChart(page, 'GAIS'));
  expect(gaisRows1.slice(1).map((r) => r.slice(3, 5))).toEqual([
    ['—', '—'],
    ['2', '—'],
  ]);
  const satRows = await tableOf(await openChart(page, 'Client satisfaction'));
  expect(satRows.slice(1).map((r) => r[3])).toEqual(['6', '8']);
  await openChart(page, 'Lip fullness');
  await screenshot(page, '4x-progress-after-logging', progressSection(page));

  expect(watch.errors).toEqual([]);
});
