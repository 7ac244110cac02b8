import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../electron/services/errors.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { signConsent } from '../support/signatures.js';

let clinic: TestClinic;
beforeEach(() => {
  clinic = openTestClinic();
});
afterEach(() => clinic.close());

function count(table: string): number {
  return (clinic.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Runs `fn` expecting an AppError and returns it, so the test can look at its code and field. */
function rejection(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to be rejected');
}

const session = (courseId: string, practitionerId: string, over: Record<string, unknown> = {}) => ({
  courseId,
  practitionerId,
  performedAt: '2026-03-02T10:00:00Z',
  device: 'SkinPen Precision',
  cartridgeType: '14-pin',
  cartridgeLot: 'L2491-07',
  zones: [{ zone: 'upper_lip' as const, depthMm: 0.4 }],
  numbingAgent: 'blt' as const,
  numbingMinutes: 25,
  pain: 3,
  ...over,
});

describe('clients', () => {
  it('finds "Zoë" from "zoe", by prefix, by last name and by both words', () => {
    const { services } = clinic;
    services.clients.create({ firstName: 'Zoë', lastName: 'Okafor' });
    services.clients.create({ firstName: 'Zoltan', lastName: 'Kiss' });
    services.clients.create({ firstName: 'Amelia', lastName: 'Brennan' });
    const names = (q: string) => services.clients.list({ query: q }).items.map((c) => c.firstName);
    expect(names('zoe')).toEqual(['Zoë']);
    expect(names('ZOË')).toEqual(['Zoë']);
    expect(names('zo')).toEqual(['Zoltan', 'Zoë']); // ordered by last name: Kiss, Okafor
    expect(names('okaf')).toEqual(['Zoë']);
    expect(names('zoe oka')).toEqual(['Zoë']);
    expect(names('zoe kiss')).toEqual([]);
    expect(names('"*) OR (')).toEqual([]); // FTS syntax in the input is plain text
    expect(services.clients.list({ query: '' }).total).toBe(3);
  });

  it('orders the list by last name, accent-insensitively', () => {
    const { services } = clinic;
    for (const [f, l] of [
      ['A', 'Zed'],
      ['B', 'Éclair'],
      ['C', 'eagle'],
      ['D', 'Brennan'],
    ]) {
      services.clients.create({ firstName: f as string, lastName: l as string });
    }
    expect(services.clients.list({}).items.map((c) => c.lastName)).toEqual([
      'Brennan',
      'eagle',
      'Éclair',
      'Zed',
    ]);
  });

  it('soft-deleted clients vanish from lists and search, and come back on restore', () => {
    const { services } = clinic;
    const zoe = services.clients.create({ firstName: 'Zoë', lastName: 'Okafor' });
    services.clients.create({ firstName: 'Amelia', lastName: 'Brennan' });
    services.clients.delete({ id: zoe.id });
    expect(services.clients.list({}).items.map((c) => c.firstName)).toEqual(['Amelia']);
    expect(services.clients.list({ query: 'zoe' }).total).toBe(0);
    expect(services.clients.list({ deleted: true }).items.map((c) => c.id)).toEqual([zoe.id]);
    expect(rejection(() => services.clients.get({ id: zoe.id })).code).toBe('not_found');
    expect(count('clients')).toBe(2); // still on disk: clinical records are never silently removed
    const restored = services.clients.restore({ id: zoe.id });
    expect(restored.deletedAt).toBeNull();
    expect(services.clients.list({ query: 'zoe' }).items.map((c) => c.id)).toEqual([zoe.id]);
  });

  it('an edit changes only the fields it names and keeps the rest', () => {
    const { services } = clinic;
    const c = services.clients.create({
      firstName: 'Zoë',
      lastName: 'Okafor',
      fitzpatrick: 5,
      contraindications: ['keloid'],
      notes: 'Prefers mornings',
    });
    const edited = services.clients.update({ id: c.id, patch: { phone: '07700 900123' } });
    expect(edited).toMatchObject({
      firstName: 'Zoë',
      fitzpatrick: 5,
      contraindications: ['keloid'],
      notes: 'Prefers mornings',
      phone: '07700 900123',
    });
  });
});

describe('audit', () => {
  it('records who changed what, from what to what, in the same transaction as the change', () => {
    const { services } = clinic;
    const { practitioner, client } = seedCourse(clinic);
    clinic.clock.advanceMinutes(5);
    services.clients.update({ id: client.id, patch: { fitzpatrick: 5 } });
    services.clients.delete({ id: client.id });
    services.clients.restore({ id: client.id });
    const entries = services.audit.list({ entity: 'client', entityId: client.id });
    expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'delete', 'restore']);
    const update = entries[1]!;
    expect(update.actorId).toBe(practitioner.id);
    expect(update.actorName).toBe('Dr Aisha Rahman');
    expect((update.before as { fitzpatrick: number }).fitzpatrick).toBe(4);
    expect((update.after as { fitzpatrick: number }).fitzpatrick).toBe(5);
    expect(update.at).toBe('2026-03-02T10:05:00.000Z');
    expect((entries[2]!.after as { deletedAt: string }).deletedAt).toBe('2026-03-02T10:05:00.000Z');
  });

  it('a session edit keeps the old and new depths in the history', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const saved = services.sessions.create(session(course.id, practitioner.id)).value;
    services.sessions.update({ id: saved.id, patch: { zones: [{ zone: 'upper_lip', depthMm: 0.5 }] } });
    const [created, updated] = services.audit.list({ entity: 'session', entityId: saved.id });
    expect(created!.action).toBe('create');
    expect((updated!.before as { zones: unknown }).zones).toEqual([{ zone: 'upper_lip', depthMm: 0.4 }]);
    expect((updated!.after as { zones: unknown }).zones).toEqual([{ zone: 'upper_lip', depthMm: 0.5 }]);
  });
});

describe('sessions', () => {
  it('saves a session with its zone depths, numbered within the course by time', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const later = services.sessions.create(
      session(course.id, practitioner.id, { performedAt: '2026-04-01T10:00:00Z' }),
    );
    const earlier = services.sessions.create(
      session(course.id, practitioner.id, { performedAt: '2026-03-02T10:00:00+01:00' }),
    );
    expect(earlier.value.performedAt).toBe('2026-03-02T09:00:00.000Z');
    const list = services.sessions.list({ courseId: course.id });
    expect(list.map((s) => [s.id, s.number])).toEqual([
      [earlier.value.id, 1],
      [later.value.id, 2],
    ]);
    expect(list[0]!.practitionerName).toBe('Dr Aisha Rahman');
    expect(list[0]!.zones).toEqual([{ zone: 'upper_lip', depthMm: 0.4 }]);
    const c = services.courses.get({ id: course.id });
    expect(c.sessionCount).toBe(2);
    expect(c.lastSessionAt).toBe('2026-04-01T10:00:00.000Z');
  });

  it('the course list (numbered by its order, zones read at once) is each session as read alone', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const other = services.courses.create({
      clientId: course.clientId,
      area: 'lips_perioral',
      indication: 'lip_enhancement',
      plannedSessions: 4,
      plannedIntervalDays: 28,
      startedOn: '2026-03-02',
    });
    signConsent(services, other.id);
    const at = (performedAt: string, over: Record<string, unknown> = {}) =>
      services.sessions.create(session(course.id, practitioner.id, { performedAt, ...over })).value;
    const zones = [
      { zone: 'forehead' as const, depthMm: 0.5, passes: 2 },
      { zone: 'chin' as const, depthMm: 0.75 },
      { zone: 'cheek_left' as const, depthMm: 1, passes: 3 },
    ];
    const last = at('2026-05-01T10:00:00Z', { zones });
    // Two at the same instant: numbered by id, as SESSION_NUMBER does.
    const sameA = at('2026-04-01T10:00:00Z');
    const sameB = at('2026-04-01T10:00:00Z', { zones: [...zones].reverse() });
    const gone = at('2026-03-01T10:00:00Z');
    at('2026-02-01T10:00:00Z');
    services.sessions.create(
      session(other.id, practitioner.id, { performedAt: '2026-04-15T10:00:00Z', zones }),
    );
    services.sessions.delete({ id: gone.id });
    const list = services.sessions.list({ courseId: course.id });
    expect(list).toEqual(list.map((s) => services.sessions.get({ id: s.id })));
    expect(list.map((s) => s.number)).toEqual([1, 2, 3, 4]);
    expect(list.map((s) => s.id).slice(1, 3)).toEqual([sameA.id, sameB.id].sort());
    expect(list.at(-1)!.id).toBe(last.id);
    expect(list.at(-1)!.zones).toEqual(zones);
    expect(list.find((s) => s.id === sameB.id)!.zones).toEqual([...zones].reverse());
    expect(services.sessions.list({ courseId: other.id })[0]!.zones).toEqual(zones);
  });

  it('a failing step in the multi-row save leaves nothing behind', () => {
    const { services, db } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const before = { sessions: count('sessions'), zones: count('session_zones'), audit: count('audit_log') };
    // The audit row is the last write of a session save; make it fail for real.
    db.exec(`CREATE TEMP TRIGGER fail_session_audit BEFORE INSERT ON audit_log WHEN new.entity = 'session'
             BEGIN SELECT RAISE(ABORT, 'disk went away'); END`);
    expect(() =>
      services.sessions.create(
        session(course.id, practitioner.id, {
          zones: [
            { zone: 'upper_lip', depthMm: 0.4 },
            { zone: 'chin', depthMm: 0.8 },
          ],
        }),
      ),
    ).toThrow(/disk went away/);
    expect({ sessions: count('sessions'), zones: count('session_zones'), audit: count('audit_log') }).toEqual(
      before,
    );
  });

  it('one invalid zone depth rejects the whole save with the field named, and keeps the saved depths', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const saved = services.sessions.create(session(course.id, practitioner.id)).value;
    const err = rejection(() =>
      services.sessions.update({
        id: saved.id,
        patch: {
          zones: [
            { zone: 'upper_lip', depthMm: 0.5 },
            { zone: 'chin', depthMm: 3.5 },
          ],
        },
      }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.field).toBe('patch.zones.1.depthMm');
    expect(err.message).toBe('Needle depth must be at most 3 mm.');
    expect(services.sessions.get({ id: saved.id }).zones).toEqual([{ zone: 'upper_lip', depthMm: 0.4 }]);
  });

  it('warns, without blocking, on depth outside the area range, long numbing and a short interval', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const first = services.sessions.create(session(course.id, practitioner.id));
    expect(first.warnings).toEqual([]);
    const second = services.sessions.create(
      session(course.id, practitioner.id, {
        performedAt: '2026-03-12T10:00:00Z',
        zones: [{ zone: 'upper_lip', depthMm: 1.2 }],
        numbingMinutes: 75,
      }),
    );
    expect(second.value.id).toBeTruthy();
    expect(second.warnings.map((w) => [w.code, w.field])).toEqual([
      ['depth_out_of_range', 'zones.0.depthMm'],
      ['numbing_too_long', 'numbingMinutes'],
      ['interval_too_short', 'performedAt'],
    ]);
    expect(second.warnings[0]!.message).toBe(
      'Upper lip: 1.2 mm is outside the usual 0.25–0.5 mm for this area.',
    );
    expect(services.sessions.list({ courseId: course.id })).toHaveLength(2);
  });

  it('uses the indication range for acne scars, but keeps the eye area shallow, and follows settings', () => {
    const { services } = clinic;
    const { practitioner, client } = seedCourse(clinic);
    const acne = services.courses.create({
      clientId: client.id,
      area: 'full_face',
      indication: 'acne_scars',
      plannedSessions: 4,
      plannedIntervalDays: 35,
      startedOn: '2026-03-02',
    });
    signConsent(services, acne.id);
    const res = services.sessions.create(
      session(acne.id, practitioner.id, {
        zones: [
          { zone: 'cheek_left', depthMm: 2.0 },
          { zone: 'periorbital_left', depthMm: 1.0 },
        ],
      }),
    );
    expect(res.warnings.map((w) => w.field)).toEqual(['zones.1.depthMm']);
    services.settings.update({ indicationDepthRanges: { acne_scars: null } });
    const again = services.sessions.update({ id: res.value.id, patch: {} });
    expect(again.warnings.map((w) => w.field)).toEqual(['zones.0.depthMm', 'zones.1.depthMm']);
  });

  it('refuses a session for an unknown practitioner or a deleted course', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const stranger = '01900000-0000-7000-8000-000000000000';
    const e1 = rejection(() => services.sessions.create(session(course.id, stranger)));
    expect([e1.code, e1.field]).toEqual(['invalid_input', 'practitionerId']);
    services.courses.delete({ id: course.id });
    expect(rejection(() => services.sessions.create(session(course.id, practitioner.id))).code).toBe(
      'not_found',
    );
  });
});

describe('every service rejects malformed input with a field-specific error', () => {
  type Seeded = ReturnType<typeof seedCourse> & { session: { id: string } };
  const cases: [string, (c: TestClinic, ids: Seeded) => unknown, string, RegExp][] = [
    [
      'practitioner without a name',
      (c) => c.services.practitioners.create({ name: '  ' }),
      'name',
      /Name is required/,
    ],
    [
      'client without first name',
      (c) => c.services.clients.create({ firstName: '' }),
      'firstName',
      /First name is required/,
    ],
    [
      'client with a number for a name',
      (c) => c.services.clients.create({ firstName: 5 as never }),
      'firstName',
      /must be text/,
    ],
    [
      'client with Fitzpatrick 7',
      (c) => c.services.clients.create({ firstName: 'A', fitzpatrick: 7 }),
      'fitzpatrick',
      /from 1 to 6/,
    ],
    [
      'client with 31 February',
      (c) => c.services.clients.create({ firstName: 'A', dateOfBirth: '2026-02-31' }),
      'dateOfBirth',
      /not a real calendar date/,
    ],
    [
      'client with an unknown field',
      (c) => c.services.clients.create({ firstName: 'A', isAdmin: true } as never),
      '',
      /Unexpected field: isAdmin/,
    ],
    [
      'client with __proto__',
      (c) => c.services.clients.create(JSON.parse('{"firstName":"A","__proto__":{"x":1}}')),
      '',
      /Unexpected field: __proto__/,
    ],
    [
      'client update with a bad id',
      (c) => c.services.clients.update({ id: 'nope', patch: {} }),
      'id',
      /not valid/,
    ],
    [
      'course with an unknown area',
      (c, s) =>
        c.services.courses.create({
          clientId: s.client.id,
          area: 'elbow' as never,
          indication: 'other',
          plannedSessions: 3,
          plannedIntervalDays: 28,
          startedOn: '2026-03-02',
        }),
      'area',
      /treatment area/,
    ],
    [
      'course with 0 planned sessions',
      (c, s) =>
        c.services.courses.create({
          clientId: s.client.id,
          area: 'neck',
          indication: 'other',
          plannedSessions: 0,
          plannedIntervalDays: 28,
          startedOn: '2026-03-02',
        }),
      'plannedSessions',
      /from 1 to 50/,
    ],
    [
      'session with pain 11',
      (c, s) => c.services.sessions.create(session(s.course.id, s.practitioner.id, { pain: 11 })),
      'pain',
      /Pain must be a whole number from 0 to 10/,
    ],
    [
      'session with pain 2.5',
      (c, s) => c.services.sessions.create(session(s.course.id, s.practitioner.id, { pain: 2.5 })),
      'pain',
      /whole number/,
    ],
    [
      'session with no zones',
      (c, s) => c.services.sessions.create(session(s.course.id, s.practitioner.id, { zones: [] })),
      'zones',
      /at least one zone/,
    ],
    [
      'session with a zone twice',
      (c, s) =>
        c.services.sessions.create(
          session(s.course.id, s.practitioner.id, {
            zones: [
              { zone: 'chin', depthMm: 0.5 },
              { zone: 'chin', depthMm: 0.6 },
            ],
          }),
        ),
      'zones',
      /only once/,
    ],
    [
      'session with depth as text',
      (c, s) =>
        c.services.sessions.create(
          session(s.course.id, s.practitioner.id, { zones: [{ zone: 'chin', depthMm: '0.5' }] }),
        ),
      'zones.0.depthMm',
      /number of millimetres/,
    ],
    [
      'session with NaN depth',
      (c, s) =>
        c.services.sessions.create(
          session(s.course.id, s.practitioner.id, { zones: [{ zone: 'chin', depthMm: NaN }] }),
        ),
      'zones.0.depthMm',
      /number of millimetres/,
    ],
    [
      'session with a bad time',
      (c, s) =>
        c.services.sessions.create(session(s.course.id, s.practitioner.id, { performedAt: 'yesterday' })),
      'performedAt',
      /date and time/,
    ],
    [
      'session with erythema 4',
      (c, s) => c.services.sessions.create(session(s.course.id, s.practitioner.id, { erythema: 4 })),
      'erythema',
      /from 0 to 3/,
    ],
    [
      'session with an unknown aftercare item',
      (c, s) => c.services.sessions.create(session(s.course.id, s.practitioner.id, { aftercare: ['sauna'] })),
      'aftercare.0',
      /aftercare item/,
    ],
    [
      'adverse event resolved before onset',
      (c, s) =>
        c.services.adverseEvents.create({
          sessionId: s.session.id,
          kind: 'pih',
          severity: 'mild',
          onsetOn: '2026-03-10',
          resolvedOn: '2026-03-01',
        }),
      'resolvedOn',
      /before the onset/,
    ],
    [
      'adverse event with an unknown severity',
      (c, s) =>
        c.services.adverseEvents.create({
          sessionId: s.session.id,
          kind: 'pih',
          severity: 'awful' as never,
          onsetOn: '2026-03-10',
        }),
      'severity',
      /severity/,
    ],
    [
      'session edit that empties a required field',
      (c, s) => c.services.sessions.update({ id: s.session.id, patch: { performedAt: null as never } }),
      'patch.performedAt',
      /Session time is required/,
    ],
    [
      'settings with min above max',
      (c) => c.services.settings.update({ depthRanges: { chin: { min: 1, max: 0.5 } } }),
      'depthRanges.chin',
      /must not exceed/,
    ],
    [
      'audit query for an unknown record type',
      (c) => c.services.audit.list({ entity: 'passwords' as never, entityId: 'x' }),
      'entity',
      /record type/,
    ],
  ];

  it.each(cases)('%s', (_name, call, field, message) => {
    const seeded = seedCourse(clinic);
    const saved = clinic.services.sessions.create(session(seeded.course.id, seeded.practitioner.id)).value;
    const ids = { ...seeded, session: saved };
    const before = count('audit_log');
    const err = rejection(() => call(clinic, ids));
    expect(err.code).toBe('invalid_input');
    expect(err.field ?? '').toBe(field);
    expect(err.message).toMatch(message);
    expect(count('audit_log')).toBe(before);
  });
});

describe('courses', () => {
  it('derives the next due date and overdue flag from the last session and the planned interval', () => {
    const { services, clock } = clinic;
    const { practitioner, course } = seedCourse(clinic, { plannedSessions: 2, plannedIntervalDays: 28 });
    expect(services.courses.get({ id: course.id })).toMatchObject({
      nextDueOn: '2026-03-02',
      overdue: false,
    });
    services.sessions.create(session(course.id, practitioner.id, { performedAt: '2026-03-02T10:00:00Z' }));
    expect(services.courses.get({ id: course.id })).toMatchObject({
      sessionCount: 1,
      nextDueOn: '2026-03-30',
    });
    clock.set('2026-04-02T12:00:00Z');
    expect(services.courses.get({ id: course.id }).overdue).toBe(true);
    services.courses.setStatus({ id: course.id, status: 'paused' });
    expect(services.courses.get({ id: course.id })).toMatchObject({ nextDueOn: null, overdue: false });
    services.courses.setStatus({ id: course.id, status: 'active' });
    services.sessions.create(session(course.id, practitioner.id, { performedAt: '2026-04-02T10:00:00Z' }));
    expect(services.courses.get({ id: course.id })).toMatchObject({
      sessionCount: 2,
      nextDueOn: null,
      overdue: false,
    });
  });

  it('an edit to a course keeps the fields it does not name', () => {
    const { services } = clinic;
    const { course } = seedCourse(clinic);
    const edited = services.courses.update({ id: course.id, patch: { plannedSessions: 6 } });
    expect(edited).toMatchObject({
      plannedSessions: 6,
      plannedIntervalDays: 28,
      area: 'lips_perioral',
      notes: '',
    });
  });
});

describe('settings', () => {
  it('starts from the domain defaults and keeps edits', () => {
    const { services } = clinic;
    const s = services.settings.get();
    expect(s.depthRanges.periorbital_left).toEqual({ min: 0.2, max: 0.3 });
    expect(s.indicationDepthRanges.acne_scars).toEqual({ min: 1.0, max: 2.5 });
    services.settings.update({ depthRanges: { upper_lip: { min: 0.3, max: 0.6 } }, clinicName: 'Glow' });
    const after = services.settings.get();
    expect(after.depthRanges.upper_lip).toEqual({ min: 0.3, max: 0.6 });
    expect(after.depthRanges.periorbital_left).toEqual({ min: 0.2, max: 0.3 });
    expect(after.clinicName).toBe('Glow');
  });

  it('reads a change written underneath the service (as a sync writes one), and hands out copies', () => {
    const { services, db } = clinic;
    expect(services.settings.get().clinicName).toBe('');
    // Another room's change arrives as a row, not through settings.update.
    db.prepare(`INSERT INTO settings (key, value_json, updated_at) VALUES ('clinicName', ?, ?)`).run(
      JSON.stringify('Glow Rooms'),
      new Date().toISOString(),
    );
    const read = services.settings.get();
    expect(read.clinicName).toBe('Glow Rooms');
    read.depthRanges.upper_lip = { min: 9, max: 9 };
    read.clinicName = 'changed by a caller';
    expect(services.settings.get().clinicName).toBe('Glow Rooms');
    expect(services.settings.get().depthRanges.upper_lip).not.toEqual({ min: 9, max: 9 });
  });

  it('refuses an unknown practitioner as the current one', () => {
    const err = rejection(() =>
      clinic.services.settings.update({ currentPractitionerId: '01900000-0000-7000-8000-000000000000' }),
    );
    expect([err.code, err.field]).toEqual(['not_found', 'currentPractitionerId']);
  });
});

describe('session drafts', () => {
  it('keeps an unfinished form per course, replaces it on autosave, and drops it when the session is saved', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    expect(services.drafts.get({ courseId: course.id })).toBeNull();
    services.drafts.save({
      courseId: course.id,
      data: { pain: '3', zones: [{ zone: 'upper_lip', depthMm: '0.' }] },
    });
    clinic.clock.advanceMinutes(1);
    services.drafts.save({
      courseId: course.id,
      data: { pain: '4', numbingStartedAt: '2026-03-02T09:40:00.000Z' },
    });
    expect(services.drafts.get({ courseId: course.id })).toEqual({
      courseId: course.id,
      data: { pain: '4', numbingStartedAt: '2026-03-02T09:40:00.000Z' },
      updatedAt: '2026-03-02T10:01:00.000Z',
    });
    services.sessions.create(session(course.id, practitioner.id));
    expect(services.drafts.get({ courseId: course.id })).toBeNull();
  });

  it('refuses a draft for a deleted course and one that is not plain data or too large', () => {
    const { services } = clinic;
    const { course } = seedCourse(clinic);
    expect(
      rejection(() => services.drafts.save({ courseId: course.id, data: 'x'.repeat(300_000) })).field,
    ).toBe('data');
    expect(
      rejection(() => services.drafts.save({ courseId: course.id, data: (() => 1) as never })).field,
    ).toBe('data');
    services.courses.delete({ id: course.id });
    expect(rejection(() => services.drafts.save({ courseId: course.id, data: {} })).code).toBe('not_found');
  });
});

describe('adverse events saved with a session', () => {
  it('are written in the same transaction as the session, and a bad one stops both', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const before = { sessions: count('sessions'), events: count('adverse_events') };
    const err = rejection(() =>
      services.sessions.create({
        ...session(course.id, practitioner.id),
        adverseEvents: [
          { kind: 'edema', severity: 'mild', onsetOn: '2026-03-02' },
          { kind: 'pih', severity: 'moderate', onsetOn: '2026-03-09', resolvedOn: '2026-03-01' },
        ],
      }),
    );
    expect(err.field).toBe('adverseEvents.1.resolvedOn');
    expect({ sessions: count('sessions'), events: count('adverse_events') }).toEqual(before);

    const saved = services.sessions.create({
      ...session(course.id, practitioner.id),
      adverseEvents: [
        { kind: 'edema', severity: 'mild', onsetOn: '2026-03-02', notes: 'Upper lip, settled in 2 days' },
      ],
    }).value;
    const events = services.adverseEvents.list({ courseId: course.id });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      sessionId: saved.id,
      kind: 'edema',
      notes: 'Upper lip, settled in 2 days',
    });
  });
});

describe('adverse events added with a session edit', () => {
  it('land in the same transaction as the edit; a bad one leaves the session unchanged', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const saved = services.sessions.create(session(course.id, practitioner.id)).value;
    const err = rejection(() =>
      services.sessions.update({
        id: saved.id,
        patch: { pain: 5 },
        adverseEvents: [{ kind: 'pih', severity: 'mild', onsetOn: '2026-03-10', resolvedOn: '2026-03-01' }],
      }),
    );
    expect(err.field).toBe('adverseEvents.0.resolvedOn');
    expect(services.sessions.get({ id: saved.id }).pain).toBe(3);
    expect(services.adverseEvents.list({ courseId: course.id })).toEqual([]);

    const onlyEvents = services.sessions.update({
      id: saved.id,
      patch: {},
      adverseEvents: [{ kind: 'pih', severity: 'mild', onsetOn: '2026-03-10' }],
    });
    expect(onlyEvents.value.updatedAt).toBe(saved.updatedAt); // the session itself did not change
    expect(services.audit.list({ entity: 'session', entityId: saved.id }).map((e) => e.action)).toEqual([
      'create',
    ]);
    expect(services.adverseEvents.list({ courseId: course.id }).map((e) => e.kind)).toEqual(['pih']);
  });
});

describe('practitioners', () => {
  it('refuses to remove the practitioner currently using NeedleLog, and removes others softly', () => {
    const { services } = clinic;
    const { practitioner } = seedCourse(clinic);
    const other = services.practitioners.create({ name: 'Nurse Chloe Martin', credentials: 'RN' });
    expect(rejection(() => services.practitioners.delete({ id: practitioner.id })).code).toBe('conflict');
    services.practitioners.delete({ id: other.id });
    expect(services.practitioners.list().map((p) => p.name)).toEqual(['Dr Aisha Rahman']);
  });

  it('explains an out-of-bounds depth range in words', () => {
    const err = rejection(() =>
      clinic.services.settings.update({ depthRanges: { chin: { min: 0, max: 1 } } }),
    );
    expect([err.field, err.message]).toEqual([
      'depthRanges.chin.min',
      'The lowest depth must be from 0.1 to 3 mm.',
    ]);
  });
});

describe('free text', () => {
  it('refuses control characters in every text field, allowing line breaks and tabs only in notes', () => {
    const { services } = clinic;
    const { practitioner, course } = seedCourse(clinic);
    const before = count('clients');
    const nul = rejection(() => services.clients.create({ firstName: '\u0000' }));
    expect([nul.code, nul.field]).toEqual(['invalid_input', 'firstName']);
    expect(nul.message).toBe(
      'First name must be one line of text, without tabs or invisible control characters.',
    );
    for (const [field, value] of [
      ['lastName', 'Ok\u0007afor'],
      ['phone', '0123\t456'],
      ['email', 'a@b.c\u001b[31m'],
      ['firstName', 'Zoë\nOkafor'],
      ['notes', 'Seen\u0000today'],
      ['contraindicationNotes', 'x\u009by'],
    ] as const) {
      const e = rejection(() => services.clients.create({ firstName: 'Zoë', [field]: value }));
      expect([e.code, e.field]).toEqual(['invalid_input', field]);
    }
    expect(count('clients')).toBe(before);
    const ok = services.clients.create({
      firstName: 'Zoë 😀',
      notes: 'Line one\r\nLine two\n\tindented',
      contraindicationNotes: 'a\nb',
    });
    expect(services.clients.get({ id: ok.id }).notes).toBe('Line one\r\nLine two\n\tindented');

    const lot = rejection(() =>
      services.sessions.create(session(course.id, practitioner.id, { cartridgeLot: 'L1\u0000' })),
    );
    expect(lot.field).toBe('cartridgeLot');
    const saved = services.sessions.create(
      session(course.id, practitioner.id, { notes: 'Two lines\nof notes' }),
    ).value;
    expect(saved.notes).toBe('Two lines\nof notes');
    expect(rejection(() => services.practitioners.create({ name: 'Dr\u0000' })).field).toBe('name');
    expect(rejection(() => services.settings.update({ clinicName: 'Clinic\n' + 'x' })).field).toBe(
      'clinicName',
    );
  });
});

describe('overview', () => {
  it('refuses a null input with a sentence, and reads undefined as "no filters"', () => {
    const e = rejection(() => clinic.services.overview.get(null as never));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe('The request must be a set of named fields (a JSON object).');
    expect(clinic.services.overview.get(undefined as never).sessions).toBe(0);
  });
});

describe('restoring under a deleted parent', () => {
  it('refuses a session of a deleted course and a course of a deleted client, naming the parent to restore', () => {
    const { services } = clinic;
    const { practitioner, client, course } = seedCourse(clinic);
    const saved = services.sessions.create(session(course.id, practitioner.id)).value;
    const event = services.adverseEvents.create({
      sessionId: saved.id,
      kind: 'bruising',
      severity: 'mild',
      onsetOn: '2026-03-03',
    });

    services.adverseEvents.delete({ id: event.id });
    services.sessions.delete({ id: saved.id });
    const orphanEvent = rejection(() => services.adverseEvents.restore({ id: event.id }));
    expect([orphanEvent.code, orphanEvent.message]).toEqual([
      'conflict',
      "This adverse event's session is deleted: restore the session first.",
    ]);

    services.courses.delete({ id: course.id });
    const orphanSession = rejection(() => services.sessions.restore({ id: saved.id }));
    expect([orphanSession.code, orphanSession.message]).toEqual([
      'conflict',
      "This session's course is deleted: restore the course first.",
    ]);

    services.clients.delete({ id: client.id });
    const orphanCourse = rejection(() => services.courses.restore({ id: course.id }));
    expect(orphanCourse.message).toBe("This course's client is deleted: restore the client first.");
    // Nothing was restored, and nothing was audited for the refusals.
    const audits = count('audit_log');
    expect(rejection(() => services.courses.restore({ id: course.id })).code).toBe('conflict');
    expect(count('audit_log')).toBe(audits);

    // Top-down, each step is allowed and the record shows again.
    services.clients.restore({ id: client.id });
    services.courses.restore({ id: course.id });
    services.sessions.restore({ id: saved.id });
    services.adverseEvents.restore({ id: event.id });
    expect(services.sessions.list({ courseId: course.id }).map((s) => s.id)).toEqual([saved.id]);
    expect(services.adverseEvents.list({ courseId: course.id }).map((e) => e.id)).toEqual([event.id]);
  });
});
