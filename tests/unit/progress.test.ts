import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATE_AFTER_DAYS, isLate } from '../../contract/progress.js';
import { AppError } from '../../electron/services/errors.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';

let clinic: TestClinic;
beforeEach(() => {
  clinic = openTestClinic();
});
afterEach(() => clinic.close());

const session = (courseId: string, practitionerId: string, over: Record<string, unknown> = {}) => ({
  courseId,
  practitionerId,
  performedAt: '2026-03-02T12:00:00Z',
  zones: [{ zone: 'upper_lip' as const, depthMm: 0.4 }],
  ...over,
});

describe('isLate', () => {
  it('is late only beyond the planned interval plus the grace days', () => {
    expect(LATE_AFTER_DAYS).toBe(7);
    expect(isLate(null, 28)).toBe(false);
    expect(isLate(28, 28)).toBe(false);
    expect(isLate(35, 28)).toBe(false);
    expect(isLate(36, 28)).toBe(true);
    expect(isLate(3, 28)).toBe(false); // early is not late
  });
});

describe('courses.progress', () => {
  it('an empty course has no sessions, and carries its plan', () => {
    const { course } = seedCourse(clinic, { plannedIntervalDays: 21, plannedSessions: 5 });
    const p = clinic.services.progress.get({ courseId: course.id });
    expect(p).toMatchObject({
      courseId: course.id,
      area: 'lips_perioral',
      plannedSessions: 5,
      plannedIntervalDays: 21,
      lateAfterDays: 7,
      sessions: [],
    });
  });

  it('a single session has no interval, is not late, and keeps missing values as null', () => {
    const { course, practitioner } = seedCourse(clinic);
    clinic.services.sessions.create(session(course.id, practitioner.id, { pain: 4 }));
    const [s] = clinic.services.progress.get({ courseId: course.id }).sessions;
    expect(s).toMatchObject({
      number: 1,
      day: '2026-03-02',
      intervalDays: null,
      late: false,
      pain: 4,
      erythema: null,
      gaisPractitioner: null,
      satisfaction: null,
      practitionerName: 'Dr Aisha Rahman',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
      adverseEvents: [],
    });
  });

  it('numbers sessions by time, derives intervals and late flags, and puts adverse events on their session', () => {
    const { course, practitioner } = seedCourse(clinic, { area: 'full_face', plannedIntervalDays: 28 });
    const { services } = clinic;
    // Entered out of order: numbering follows the session time.
    services.sessions.create(
      session(course.id, practitioner.id, {
        performedAt: '2026-04-15T12:00:00Z',
        zones: [{ zone: 'cheek_left', depthMm: 1.0 }],
        satisfaction: 8,
        gaisPractitioner: 2,
        gaisClient: 3,
        adverseEvents: [{ kind: 'pih', severity: 'mild', onsetOn: '2026-04-20' }],
      }),
    );
    services.sessions.create(
      session(course.id, practitioner.id, {
        performedAt: '2026-03-02T12:00:00Z',
        zones: [
          { zone: 'forehead', depthMm: 0.5 },
          { zone: 'cheek_left', depthMm: 0.75 },
        ],
        pain: 5,
        erythema: 2,
        edema: 1,
        bleeding: 1,
        satisfaction: 5,
      }),
    );
    services.sessions.create(
      session(course.id, practitioner.id, {
        performedAt: '2026-03-30T12:00:00Z',
        zones: [{ zone: 'cheek_left', depthMm: 0.9 }],
      }),
    );
    // A deleted session is left out of numbers and intervals.
    const gone = services.sessions.create(
      session(course.id, practitioner.id, { performedAt: '2026-03-16T12:00:00Z' }),
    );
    services.sessions.delete({ id: gone.value.id });

    const p = services.progress.get({ courseId: course.id });
    expect(p.sessions.map((s) => [s.number, s.day, s.intervalDays, s.late])).toEqual([
      [1, '2026-03-02', null, false],
      [2, '2026-03-30', 28, false],
      [3, '2026-04-15', 16, false],
    ]);
    expect(p.sessions[0]!.zones).toEqual([
      { zone: 'forehead', depthMm: 0.5 },
      { zone: 'cheek_left', depthMm: 0.75 },
    ]);
    expect(p.sessions[0]).toMatchObject({ pain: 5, erythema: 2, edema: 1, bleeding: 1, satisfaction: 5 });
    expect(p.sessions[2]).toMatchObject({ satisfaction: 8, gaisPractitioner: 2, gaisClient: 3 });
    expect(p.sessions[2]!.adverseEvents).toMatchObject([
      { kind: 'pih', severity: 'mild', onsetOn: '2026-04-20' },
    ]);
    expect(p.sessions[0]!.adverseEvents).toEqual([]);

    // A session 40 days after the previous one, with a 28-day plan: late.
    services.sessions.create(session(course.id, practitioner.id, { performedAt: '2026-05-25T12:00:00Z' }));
    const last = services.progress.get({ courseId: course.id }).sessions.at(-1)!;
    expect([last.number, last.intervalDays, last.late]).toEqual([4, 40, true]);
  });

  it('a deleted adverse event is not shown', () => {
    const { course, practitioner } = seedCourse(clinic);
    const s = clinic.services.sessions.create(
      session(course.id, practitioner.id, {
        adverseEvents: [{ kind: 'bruising', severity: 'mild', onsetOn: '2026-03-02' }],
      }),
    );
    const [event] = clinic.services.adverseEvents.list({ courseId: course.id });
    clinic.services.adverseEvents.delete({ id: event!.id });
    expect(clinic.services.progress.get({ courseId: course.id }).sessions[0]!.id).toBe(s.value.id);
    expect(clinic.services.progress.get({ courseId: course.id }).sessions[0]!.adverseEvents).toEqual([]);
  });

  it('refuses a deleted or unknown course', () => {
    const { course } = seedCourse(clinic);
    clinic.services.courses.delete({ id: course.id });
    expect(() => clinic.services.progress.get({ courseId: course.id })).toThrow(AppError);
    expect(() => clinic.services.progress.get({ courseId: 'nope' })).toThrow(/not valid/);
  });
});
