import { afterEach, describe, expect, it } from 'vitest';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { givePin, TEST_PIN } from '../support/signIn.js';
import { AppError } from '../../electron/services/errors.js';
import { strokes } from '../support/signatures.js';
import type { DrawnSignature } from '../../contract/signing.js';

let clinic: TestClinic;
afterEach(() => clinic?.close());

function setUp() {
  clinic = openTestClinic();
  const seeded = seedCourse(clinic);
  const { services } = clinic;
  const session = services.sessions.create({
    courseId: seeded.course.id,
    practitionerId: seeded.practitioner.id,
    performedAt: '2026-03-02T10:00:00Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    pain: 4,
    notes: 'Tolerated well.',
  }).value;
  return { ...seeded, session };
}

/** A second, unsigned session of the seeded course. */
function setUpAnother(): string {
  const [first] = clinic.services.sessions.list({ courseId: courseOf() });
  return clinic.services.sessions.create({
    courseId: first!.courseId,
    practitionerId: first!.practitionerId,
    performedAt: '2026-03-30T10:00:00Z',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
  }).value.id;
}
/** A course with no consent on file yet (the signed-consent tests sign it themselves). */
function courseWithoutConsent() {
  clinic = openTestClinic();
  return seedCourse(clinic, { consent: false });
}
const courseOf = () => (clinic.db.prepare(`SELECT id FROM courses LIMIT 1`).get() as { id: string }).id;

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('signed sessions', () => {
  it('signs with the PIN of the practitioner who performed it, keeping the record as signed', async () => {
    const { session } = setUp();
    const { services, db } = clinic;
    const wrong = await refusal(services.signing.sign({ sessionId: session.id, pin: '000000' }));
    expect(wrong.field).toBe('pin');
    expect(services.signing.get({ id: session.id }).signatures).toEqual([]);

    const signed = await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    expect(signed.signatures).toHaveLength(1);
    expect(signed.signatures[0]).toMatchObject({ role: 'author', practitionerName: 'Dr Aisha Rahman' });
    const row = db
      .prepare(`SELECT record_json FROM session_signatures WHERE session_id = ?`)
      .get(session.id) as {
      record_json: string;
    };
    expect(JSON.parse(row.record_json)).toMatchObject({ id: session.id, pain: 4, notes: 'Tolerated well.' });

    const again = await refusal(services.signing.sign({ sessionId: session.id, pin: TEST_PIN }));
    expect(again.message).toMatch(/already signed by Dr Aisha Rahman/);
    // The schema itself refuses to change or remove a signature.
    expect(() => db.prepare(`UPDATE session_signatures SET signed_at = 'x'`).run()).toThrow(/never changed/);
    expect(() => db.prepare(`DELETE FROM session_signatures`).run()).toThrow(/never removed/);
  });

  it('refuses a signature from someone who did not perform the session', async () => {
    const { session } = setUp();
    const { services } = clinic;
    const other = services.practitioners.create({ name: 'Ben Colleague' });
    givePin(services, other.id);
    services.actAs(other.id);
    const err = await refusal(services.signing.sign({ sessionId: session.id, pin: TEST_PIN }));
    expect(err.message).toBe('Only Dr Aisha Rahman, who performed session 1, can sign it.');
  });

  it('refuses edits and deletion of a signed session and says to add an addendum', async () => {
    const { session } = setUp();
    const { services } = clinic;
    await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    const edit = await refusal(() => services.sessions.update({ id: session.id, patch: { pain: 6 } }));
    expect(edit.code).toBe('conflict');
    expect(edit.message).toMatch(/can no longer be edited\. Add an addendum instead/);
    const del = await refusal(() => services.sessions.delete({ id: session.id }));
    expect(del.message).toMatch(/cannot be deleted/);
    expect(services.sessions.get({ id: session.id }).pain).toBe(4);
  });

  it('files a correction as an addendum: who, when, why, each value before and after, audited', async () => {
    const { session } = setUp();
    const { services, clock } = clinic;
    await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    clock.advanceMinutes(60 * 24);
    const noReason = await refusal(() =>
      services.sessions.amend({ sessionId: session.id, reason: '  ', patch: { pain: 6 } }),
    );
    expect(noReason.field).toBe('reason');
    const amended = services.sessions.amend({
      sessionId: session.id,
      reason: 'Client reported pain 6 at the follow-up call.',
      patch: { pain: 6, zones: [{ zone: 'upper_lip', depthMm: 0.5 }] },
    }).value;
    expect(amended.pain).toBe(6);
    const state = services.signing.get({ id: session.id });
    expect(state.addenda).toHaveLength(1);
    expect(state.addenda[0]).toMatchObject({
      authorName: 'Dr Aisha Rahman',
      at: '2026-03-03T10:00:00.000Z',
      reason: 'Client reported pain 6 at the follow-up call.',
      changes: {
        before: { pain: 4, zones: [{ zone: 'upper_lip', depthMm: 0.4 }] },
        after: { pain: 6, zones: [{ zone: 'upper_lip', depthMm: 0.5 }] },
      },
    });
    // The signed record is unchanged beside the correction.
    expect(state.signatures[0]!.recordSha256).toMatch(/^[0-9a-f]{64}$/);
    const audited = services.audit.list({ entity: 'session_addendum', entityId: state.addenda[0]!.id });
    expect(audited[0]).toMatchObject({ action: 'create', actorName: 'Dr Aisha Rahman' });
    const sessionAudit = services.audit.list({ entity: 'session', entityId: session.id });
    expect(sessionAudit.at(-1)).toMatchObject({ action: 'update' });
    const practitionerChange = await refusal(() =>
      services.sessions.amend({
        sessionId: session.id,
        reason: 'x',
        patch: { practitionerId: services.practitioners.create({ name: 'Other' }).id },
      }),
    );
    expect(practitionerChange.field).toBe('practitionerId');
  });

  it('keeps an addendum that changes no field as a note, leaving the session row as it was', async () => {
    const { session } = setUp();
    const { services } = clinic;
    await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    const before = services.sessions.get({ id: session.id });
    services.sessions.amend({
      sessionId: session.id,
      reason: 'Client phoned: no redness next day.',
      patch: { pain: 4 },
    });
    expect(services.sessions.get({ id: session.id })).toEqual(before);
    const [note] = services.signing.get({ id: session.id }).addenda;
    expect(note).toMatchObject({
      reason: 'Client phoned: no redness next day.',
      changes: { before: {}, after: {} },
    });
    const unsignedEdit = setUpAnother();
    expect(() =>
      services.sessions.amend({ sessionId: unsignedEdit, reason: 'x', patch: { pain: 1 } }),
    ).toThrow(/not signed yet: edit it directly/);
  });

  it('takes a co-signature from another manager only, after the practitioner signed', async () => {
    const { session, practitioner } = setUp();
    const { services } = clinic;
    const director = services.practitioners.create({ name: 'Dr Director', role: 'manager' });
    givePin(services, director.id);
    services.actAs(director.id);
    expect(
      (await refusal(services.signing.cosign({ sessionId: session.id, pin: TEST_PIN }))).message,
    ).toMatch(/not signed yet/);
    services.actAs(practitioner.id);
    await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    expect(
      (await refusal(services.signing.cosign({ sessionId: session.id, pin: TEST_PIN }))).message,
    ).toMatch(/another manager/);
    services.actAs(director.id);
    const state = await services.signing.cosign({ sessionId: session.id, pin: TEST_PIN });
    expect(state.signatures.map((s) => [s.role, s.practitionerName])).toEqual([
      ['author', 'Dr Aisha Rahman'],
      ['cosigner', 'Dr Director'],
    ]);
  });

  it('lists the practitioner’s unsigned sessions older than the clinic’s reminder age', async () => {
    const { session } = setUp();
    const { services, clock } = clinic;
    expect(services.signing.unsigned().items).toEqual([]);
    clock.advanceMinutes(60 * 24 * 4);
    const listed = services.signing.unsigned();
    expect(listed.afterDays).toBe(3);
    expect(listed.items.map((i) => [i.sessionId, i.clientName, i.number])).toEqual([
      [session.id, 'Zoë Okafor', 1],
    ]);
    await services.signing.sign({ sessionId: session.id, pin: TEST_PIN });
    expect(services.signing.unsigned().items).toEqual([]);
    // A later session of the course is listed with its own number in the course.
    const second = setUpAnother();
    clock.advanceMinutes(60 * 24 * 40);
    expect(services.signing.unsigned().items.map((i) => [i.sessionId, i.number])).toEqual([[second, 2]]);
  });
});

describe('signed consent', () => {
  it('stores the form text and version as signed, with both drawn signatures', () => {
    const { course } = courseWithoutConsent();
    const { services } = clinic;
    const template = services.settings.get().consentTemplate;
    expect(template.version).toBe(1);
    const consent = services.consents.sign({
      courseId: course.id,
      templateVersion: 1,
      photoScope: 'teaching',
      clientName: 'Zoë Okafor',
      clientSignature: strokes(3),
      practitionerSignature: strokes(2),
    });
    expect(consent).toMatchObject({ templateVersion: 1, body: template.body, photoScope: 'teaching' });
    expect((consent.clientSignature as DrawnSignature).strokes).toHaveLength(3);
    // A new version of the form leaves the signed text as it was, and a stale form is refused.
    const next = services.settings.update({
      consentTemplate: { title: 'Consent v2', body: `${template.body}\nAdded.` },
    });
    expect(next.consentTemplate.version).toBe(2);
    expect(services.consents.ofCourse({ courseId: course.id })[0]!.body).toBe(template.body);
    const stale = (() => {
      try {
        services.consents.sign({
          courseId: course.id,
          templateVersion: 1,
          photoScope: 'none',
          clientName: 'Zoë Okafor',
          clientSignature: strokes(1),
          practitionerSignature: strokes(1),
        });
      } catch (err) {
        return err as AppError;
      }
      return null;
    })();
    expect(stale?.message).toMatch(/now version 2/);
  });

  it('takes typed signatures with their attestation (signing by keyboard) and keeps them as typed', () => {
    const { course } = courseWithoutConsent();
    const { services } = clinic;
    const typed = { kind: 'typed', name: 'Zoë Okafor', attested: true } as const;
    const sign = (clientSignature: unknown) =>
      services.consents.sign({
        courseId: course.id,
        templateVersion: 1,
        photoScope: 'record',
        clientName: 'Zoë Okafor',
        clientSignature: clientSignature as typeof typed,
        practitionerSignature: { kind: 'typed', name: 'Aisha Rahman', attested: true },
      });
    const refusal = (sig: unknown) => {
      try {
        sign(sig);
      } catch (err) {
        return err as AppError;
      }
      return null;
    };
    expect(refusal({ ...typed, attested: false })?.message).toBe(
      'Tick the box to confirm that the typed name is the signature.',
    );
    expect(refusal({ ...typed, name: '' })?.message).toBe('Type the full name to sign.');
    expect(refusal(null)?.message).toBe(
      'Sign in the box, or type the name and tick the box that it is the signature.',
    );
    expect(services.consents.ofCourse({ courseId: course.id })).toEqual([]);
    const consent = sign(typed);
    expect(consent.clientSignature).toEqual(typed);
    expect(services.consents.ofCourse({ courseId: course.id })[0]).toMatchObject({
      clientSignature: typed,
      practitionerSignature: { kind: 'typed', name: 'Aisha Rahman', attested: true },
    });
  });

  it('refuses an empty signature', () => {
    const { course } = courseWithoutConsent();
    expect(() =>
      clinic.services.consents.sign({
        courseId: course.id,
        templateVersion: 1,
        photoScope: 'none',
        clientName: 'Zoë Okafor',
        clientSignature: { width: 400, height: 150, strokes: [] },
        practitionerSignature: strokes(1),
      }),
    ).toThrow(/Sign in the box/);
  });

  it('asks for signed consent by default: a new clinic logs a session without it only with a reason', () => {
    const { course, practitioner } = courseWithoutConsent();
    const { services } = clinic;
    expect(services.settings.get().requireSignedConsent).toBe(true);
    const refused = (() => {
      try {
        services.sessions.create({
          courseId: course.id,
          practitionerId: practitioner.id,
          performedAt: '2026-03-30T10:00:00Z',
          zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
        });
      } catch (err) {
        return err as AppError;
      }
      return null;
    })();
    expect(refused).toMatchObject({ code: 'conflict', field: 'consentOverrideReason' });
    expect(services.sessions.list({ courseId: course.id })).toHaveLength(0);
    // A clinic that turns it off (Settings → Consent form) logs the session, with no override kept.
    services.settings.update({ requireSignedConsent: false });
    const saved = services.sessions.create({
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: '2026-03-30T10:00:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    }).value;
    expect(services.signing.get({ id: saved.id }).consentOverride).toBeNull();
  });

  it('where the clinic requires it, logs a session without consent only with a recorded reason', () => {
    const { course, practitioner } = courseWithoutConsent();
    const { services } = clinic;
    services.settings.update({ requireSignedConsent: true });
    const input = {
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: '2026-03-30T10:00:00Z',
      zones: [{ zone: 'upper_lip' as const, depthMm: 0.4 }],
    };
    expect(() => services.sessions.create(input)).toThrow(/no signed consent on file/);
    const saved = services.sessions.create({
      ...input,
      consentOverrideReason: 'Paper form signed; scanned later.',
    }).value;
    expect(services.signing.get({ id: saved.id }).consentOverride).toMatchObject({
      reason: 'Paper form signed; scanned later.',
      actorName: 'Dr Aisha Rahman',
    });
    services.consents.sign({
      courseId: course.id,
      templateVersion: 1,
      photoScope: 'record',
      clientName: 'Zoë Okafor',
      clientSignature: strokes(2),
      practitionerSignature: strokes(2),
    });
    const next = services.sessions.create({ ...input, performedAt: '2026-04-27T10:00:00Z' }).value;
    expect(services.signing.get({ id: next.id }).consentOverride).toBeNull();
  });
});
