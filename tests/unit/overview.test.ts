import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay as localDate } from '../../contract/format.js';
import { withSchedule } from '../../electron/services/courseSchedule.js';
import { fillWeeks, per100, rateRows, weekStart } from '../../electron/services/overview.js';
import { getCourse } from '../../db/courses.js';
import { openTestClinic, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';

let clinic: TestClinic;
beforeEach(() => {
  clinic = openTestClinic();
  clinic.clock.set('2026-06-10T12:00:00Z'); // a Wednesday
});
afterEach(() => clinic.close());

type Area = 'lips_perioral' | 'cheeks' | 'forehead';

/** Two practitioners and a factory for clients with one course each. */
function clinicWith() {
  const { services } = clinic;
  const anna = services.practitioners.create({ name: 'Anna' });
  const ben = services.practitioners.create({ name: 'Ben' });
  services.settings.update({ currentPractitionerId: anna.id });
  services.actAs(anna.id);
  const course = (
    name: string,
    area: Area,
    opts: { planned?: number; interval?: number; startedOn?: string } = {},
  ) => {
    const client = services.clients.create({ firstName: name, lastName: 'Test' });
    const made = services.courses.create({
      clientId: client.id,
      area,
      indication: 'other',
      plannedSessions: opts.planned ?? 4,
      plannedIntervalDays: opts.interval ?? 28,
      startedOn: opts.startedOn ?? '2026-03-02',
    });
    signConsent(services, made.id, `${name} Test`);
    return made;
  };
  const session = (
    courseId: string,
    performedAt: string,
    over: Record<string, unknown> = {},
    practitionerId = anna.id,
  ) =>
    services.sessions.create({
      courseId,
      practitionerId,
      performedAt,
      zones: [{ zone: 'cheek_left', depthMm: 1 }],
      ...over,
    }).value;
  return { anna, ben, course, session };
}

describe('pure figures', () => {
  it('weekStart is the Monday of the week', () => {
    expect(weekStart('2026-06-08')).toBe('2026-06-08'); // Monday
    expect(weekStart('2026-06-10')).toBe('2026-06-08');
    expect(weekStart('2026-06-14')).toBe('2026-06-08'); // Sunday
    expect(weekStart('2026-06-15')).toBe('2026-06-15');
  });

  it('fillWeeks lists every week of the period, zero where nothing happened', () => {
    expect(fillWeeks('2026-06-03', '2026-06-20', new Map([['2026-06-08', 3]]))).toEqual([
      { weekStart: '2026-06-01', sessions: 0 },
      { weekStart: '2026-06-08', sessions: 3 },
      { weekStart: '2026-06-15', sessions: 0 },
    ]);
    expect(fillWeeks('2026-06-10', '2026-06-10', new Map())).toEqual([
      { weekStart: '2026-06-08', sessions: 0 },
    ]);
  });

  it('per100 is events per 100 sessions, and no rate without sessions', () => {
    expect(per100(0, 0)).toBeNull();
    expect(per100(0, 10)).toBe(0);
    expect(per100(1, 3)).toBe(33.3);
    expect(per100(3, 2)).toBe(150);
  });

  it('rateRows sums cells by area or agent, highest rate first', () => {
    const cells = [
      { weekStart: 'w1', area: 'cheeks', agent: 'emla', sessions: 10, events: 1 },
      { weekStart: 'w2', area: 'cheeks', agent: 'blt', sessions: 10, events: 0 },
      { weekStart: 'w1', area: 'lips_perioral', agent: 'emla', sessions: 5, events: 2 },
    ];
    expect(rateRows(cells, 'area')).toEqual([
      { key: 'lips_perioral', sessions: 5, events: 2, per100: 40 },
      { key: 'cheeks', sessions: 20, events: 1, per100: 5 },
    ]);
    expect(rateRows(cells, 'agent')).toEqual([
      { key: 'emla', sessions: 15, events: 3, per100: 20 },
      { key: 'blt', sessions: 10, events: 0, per100: 0 },
    ]);
    expect(rateRows([], 'area')).toEqual([]);
  });
});

describe('overview.get', () => {
  it('an empty clinic has zeros, empty tables and every week of the default period', () => {
    const o = clinic.services.overview.get({});
    expect(o).toMatchObject({
      today: '2026-06-10',
      to: '2026-06-10',
      from: '2025-12-11',
      activeCourses: 0,
      overdueCourses: 0,
      overdueClients: 0,
      sessions: 0,
      adverseByArea: [],
      adverseByAgent: [],
      satisfactionChange: [],
      gaisChange: [],
    });
    expect(o.sessionsPerWeek).toHaveLength(27);
    expect(o.sessionsPerWeek.every((w) => w.sessions === 0)).toBe(true);
    expect(o.sessionsPerWeek.at(-1)!.weekStart).toBe('2026-06-08');
  });

  it('counts active and overdue courses by the same rule as the course page', () => {
    const { course, session } = clinicWith();
    const { services } = clinic;
    const notStarted = course('NotStarted', 'cheeks', { startedOn: '2026-06-01' }); // due 1 Jun: overdue
    const future = course('Future', 'cheeks', { startedOn: '2026-06-20' }); // not yet due
    const recent = course('Recent', 'cheeks');
    session(recent.id, '2026-05-20T12:00:00Z'); // due 17 Jun
    const late = course('Late', 'lips_perioral');
    session(late.id, '2026-05-01T12:00:00Z'); // due 29 May: overdue
    const dueToday = course('DueToday', 'cheeks', { interval: 10 });
    session(dueToday.id, '2026-05-31T12:00:00Z'); // due 10 Jun = today: not overdue
    const done = course('Done', 'cheeks', { planned: 1 });
    session(done.id, '2026-01-05T12:00:00Z'); // all sessions done: nothing due
    const paused = course('Paused', 'cheeks', { startedOn: '2026-01-01' });
    services.courses.setStatus({ id: paused.id, status: 'paused' });
    const deleted = course('Deleted', 'cheeks', { startedOn: '2026-01-01' });
    services.courses.delete({ id: deleted.id });

    const o = services.overview.get({});
    expect(o.activeCourses).toBe(6); // notStarted, future, recent, late, dueToday, done
    expect(o.overdueCourses).toBe(2);
    expect(o.overdueClients).toBe(2);

    // A second overdue course of the same client: one more overdue course, the same overdue clients.
    const lateClientId = getCourse(clinic.db, late.id)!.clientId;
    const lateToo = services.courses.create({
      clientId: lateClientId,
      area: 'neck',
      indication: 'other',
      plannedSessions: 4,
      plannedIntervalDays: 28,
      startedOn: '2026-04-01',
    });
    expect(services.overview.get({})).toMatchObject({
      activeCourses: 7,
      overdueCourses: 3,
      overdueClients: 2,
    });
    services.courses.delete({ id: lateToo.id });

    // The same set as withSchedule, course by course.
    const today = localDate(clinic.clock.now());
    const expected = [notStarted, future, recent, late, dueToday, done, paused, deleted]
      .map((c) => getCourse(clinic.db, c.id)!)
      .filter((c) => c.deletedAt === null && withSchedule(c, today).overdue)
      .map((c) => c.id)
      .sort();
    const drill = services.overview.clients({ figure: 'overdue' });
    expect(drill.items.map((i) => i.courseId).sort()).toEqual(expected);
    expect(drill.total).toBe(2);
    expect(drill.items[0]).toMatchObject({
      firstName: 'Late',
      detail: '1 of 4 sessions done · next due 2026-05-29 (overdue)',
    });
    expect(drill.items[1]).toMatchObject({
      firstName: 'NotStarted',
      detail: '0 of 4 sessions done · next due 2026-06-01 (overdue)',
    });

    // Area filter and practitioner filter ("courses they treated").
    expect(services.overview.get({ area: 'lips_perioral' })).toMatchObject({
      activeCourses: 1,
      overdueCourses: 1,
    });
    const active = services.overview.clients({ figure: 'active', filters: { area: 'lips_perioral' } });
    expect(active.items.map((i) => i.firstName)).toEqual(['Late']);
    const { ben } = { ben: services.practitioners.list().find((p) => p.name === 'Ben')! };
    expect(services.overview.get({ practitionerId: ben.id })).toMatchObject({
      activeCourses: 0,
      overdueCourses: 0,
    });
  });

  it('counts sessions per week and adverse events per 100 sessions by area and numbing agent', () => {
    const { course, session, ben } = clinicWith();
    const lips = course('Lips', 'lips_perioral');
    const cheeks = course('Cheeks', 'cheeks');
    session(lips.id, '2026-06-01T12:00:00Z', {
      numbingAgent: 'emla',
      adverseEvents: [
        { kind: 'herpes_flare', severity: 'moderate', onsetOn: '2026-06-03' },
        { kind: 'bruising', severity: 'mild', onsetOn: '2026-06-02' },
      ],
    });
    session(lips.id, '2026-06-03T12:00:00Z', { numbingAgent: 'emla' });
    session(
      cheeks.id,
      '2026-06-09T12:00:00Z',
      {
        numbingAgent: 'blt',
        adverseEvents: [{ kind: 'pih', severity: 'mild', onsetOn: '2026-06-10' }],
      },
      ben.id,
    );
    session(cheeks.id, '2026-06-10T08:00:00Z', { numbingAgent: 'none' }, ben.id);
    const deletedEvent = session(cheeks.id, '2026-05-25T12:00:00Z', {
      adverseEvents: [{ kind: 'other', severity: 'mild', onsetOn: '2026-05-25' }],
    });
    const [ev] = clinic.services.adverseEvents
      .list({ courseId: cheeks.id })
      .filter((e) => e.sessionId === deletedEvent.id);
    clinic.services.adverseEvents.delete({ id: ev!.id });
    // Outside the period: not counted.
    session(cheeks.id, '2025-01-05T12:00:00Z', {
      adverseEvents: [{ kind: 'pih', severity: 'mild', onsetOn: '2025-01-05' }],
    });

    const o = clinic.services.overview.get({ from: '2026-05-25', to: '2026-06-10' });
    expect(o.sessions).toBe(5);
    expect(o.sessionsPerWeek).toEqual([
      { weekStart: '2026-05-25', sessions: 1 },
      { weekStart: '2026-06-01', sessions: 2 },
      { weekStart: '2026-06-08', sessions: 2 },
    ]);
    expect(o.adverseByArea).toEqual([
      { key: 'lips_perioral', sessions: 2, events: 2, per100: 100 },
      { key: 'cheeks', sessions: 3, events: 1, per100: 33.3 },
    ]);
    expect(o.adverseByAgent).toEqual([
      { key: 'emla', sessions: 2, events: 2, per100: 100 },
      { key: 'blt', sessions: 1, events: 1, per100: 100 },
      { key: 'none', sessions: 2, events: 0, per100: 0 },
    ]);

    // Filters: practitioner, area, date range.
    const byBen = clinic.services.overview.get({
      from: '2026-05-25',
      to: '2026-06-10',
      practitionerId: ben.id,
    });
    expect(byBen.sessions).toBe(2);
    expect(byBen.adverseByArea).toEqual([{ key: 'cheeks', sessions: 2, events: 1, per100: 50 }]);
    const lipsOnly = clinic.services.overview.get({
      from: '2026-05-25',
      to: '2026-06-10',
      area: 'lips_perioral',
    });
    expect(lipsOnly.adverseByAgent).toEqual([{ key: 'emla', sessions: 2, events: 2, per100: 100 }]);
    const oneDay = clinic.services.overview.get({ from: '2026-06-03', to: '2026-06-03' });
    expect(oneDay.sessions).toBe(1);

    // The clients behind the figures.
    const f = { from: '2026-05-25', to: '2026-06-10' };
    const lipsEvents = clinic.services.overview.clients({
      figure: 'adverseArea',
      key: 'lips_perioral',
      filters: f,
    });
    expect(lipsEvents).toEqual({
      total: 1,
      items: [
        expect.objectContaining({
          courseId: lips.id,
          firstName: 'Lips',
          detail: '2 adverse events over 2 sessions: Bruising, Herpes flare',
        }),
      ],
    });
    const noneAgent = clinic.services.overview.clients({ figure: 'adverseAgent', key: 'none', filters: f });
    expect(noneAgent.total).toBe(0);
    const week = clinic.services.overview.clients({ figure: 'week', key: '2026-06-08', filters: f });
    expect(week.items).toEqual([
      expect.objectContaining({ courseId: cheeks.id, detail: '2 sessions that week' }),
    ]);
  });

  it('all time from 2000 lists every week, counted only where sessions can be; periods before or after every session are all zeros', () => {
    const { course, session } = clinicWith();
    const lips = course('Lips', 'lips_perioral');
    session(lips.id, '2025-01-05T23:30:00Z');
    session(lips.id, '2026-06-01T12:00:00Z');
    session(lips.id, '2026-06-10T08:00:00Z');
    const all = clinic.services.overview.get({ from: '2000-01-01' });
    expect(all.sessionsPerWeek[0]!.weekStart).toBe('1999-12-27');
    expect(all.sessionsPerWeek.at(-1)!.weekStart).toBe('2026-06-08');
    expect(all.sessionsPerWeek).toHaveLength(fillWeeks('2000-01-01', '2026-06-10', new Map()).length);
    expect(all.sessionsPerWeek.filter((w) => w.sessions > 0)).toEqual([
      { weekStart: weekStart(localDate('2025-01-05T23:30:00Z')), sessions: 1 },
      { weekStart: '2026-06-01', sessions: 1 },
      { weekStart: '2026-06-08', sessions: 1 },
    ]);
    expect(all.sessions).toBe(3);
    for (const period of [
      { from: '2024-01-01', to: '2024-12-31' },
      { from: '2025-02-01', to: '2025-03-31' },
    ]) {
      const o = clinic.services.overview.get(period);
      expect(o.sessionsPerWeek).toEqual(fillWeeks(period.from, period.to, new Map()));
      expect(o.sessions).toBe(0);
    }
  });

  it('mean outcome change by area: last minus first scored session per course; single-session courses left out', () => {
    const { course, session } = clinicWith();
    const a = course('A', 'lips_perioral');
    session(a.id, '2026-05-01T12:00:00Z', { satisfaction: 4, gaisPractitioner: 4 });
    session(a.id, '2026-05-15T12:00:00Z', { satisfaction: null }); // missing: skipped, not zero
    session(a.id, '2026-05-29T12:00:00Z', { satisfaction: 9, gaisPractitioner: 2 });
    const b = course('B', 'lips_perioral');
    session(b.id, '2026-05-02T12:00:00Z', { satisfaction: 6 });
    session(b.id, '2026-05-30T12:00:00Z', { satisfaction: 7 });
    const single = course('Single', 'lips_perioral');
    session(single.id, '2026-05-03T12:00:00Z', { satisfaction: 1, gaisPractitioner: 5 });
    const c = course('C', 'cheeks');
    session(c.id, '2026-05-04T12:00:00Z', { satisfaction: 8 });
    session(c.id, '2026-05-20T12:00:00Z', { satisfaction: 6 });

    const o = clinic.services.overview.get({ from: '2026-05-01', to: '2026-06-10' });
    expect(o.satisfactionChange).toEqual([
      { area: 'cheeks', courses: 1, meanFirst: 8, meanLast: 6, meanChange: -2 },
      { area: 'lips_perioral', courses: 2, meanFirst: 5, meanLast: 8, meanChange: 3 },
    ]);
    expect(o.gaisChange).toEqual([
      { area: 'lips_perioral', courses: 1, meanFirst: 4, meanLast: 2, meanChange: -2 },
    ]);

    // The period cuts the course: only sessions in it count, so course A's first is now its third.
    const late = clinic.services.overview.get({ from: '2026-05-16', to: '2026-06-10' });
    expect(late.satisfactionChange).toEqual([]);

    const drill = clinic.services.overview.clients({
      figure: 'satisfaction',
      key: 'lips_perioral',
      filters: { from: '2026-05-01', to: '2026-06-10' },
    });
    expect(drill.items.map((i) => [i.firstName, i.detail])).toEqual([
      ['A', 'Satisfaction 4 → 9 (+5) over 2 scored sessions'],
      ['B', 'Satisfaction 6 → 7 (+1) over 2 scored sessions'],
    ]);
  });

  it('refuses a period that ends before it starts, and unknown areas', () => {
    expect(() => clinic.services.overview.get({ from: '2026-06-10', to: '2026-06-01' })).toThrow(
      /must not be after/,
    );
    expect(() => clinic.services.overview.get({ area: 'elbow' as 'cheeks' })).toThrow(/treatment area/);
    expect(() => clinic.services.overview.clients({ figure: 'nope' as 'active' })).toThrow(/valid figure/);
  });
});

describe('in a time zone far from UTC', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  it('weeks, intervals and overdue use the clinic’s local day, as the course page does', () => {
    process.env.TZ = 'Pacific/Auckland'; // UTC+12 in June
    const { course, session } = clinicWith();
    const k = course('Kiwi', 'cheeks', { interval: 7 });
    // 13:30 UTC on Sunday 31 May is Monday 1 June in Auckland.
    session(k.id, '2026-05-31T13:30:00Z');
    const o = clinic.services.overview.get({ from: '2026-05-25', to: '2026-06-10' });
    expect(o.sessionsPerWeek.find((w) => w.sessions > 0)).toEqual({ weekStart: '2026-06-01', sessions: 1 });
    // Next due 8 June local: overdue on 10 June, as withSchedule says.
    const row = getCourse(clinic.db, k.id)!;
    expect(withSchedule(row, localDate(clinic.clock.now())).nextDueOn).toBe('2026-06-08');
    expect(o.overdueCourses).toBe(1);
    session(k.id, '2026-06-07T13:30:00Z'); // Monday 8 June local
    expect(
      clinic.services.progress.get({ courseId: k.id }).sessions.map((s) => [s.day, s.intervalDays]),
    ).toEqual([
      ['2026-06-01', null],
      ['2026-06-08', 7],
    ]);
  });
});

describe('overview drill-down keys', () => {
  it('a week key shaped like a date but not a real day falls back to this week instead of failing', () => {
    for (const key of ['0000-00-00', '2026-02-30', '2026-13-01']) {
      const drill = clinic.services.overview.clients({ figure: 'week', key });
      expect(drill.items).toEqual([]);
    }
  });
});
