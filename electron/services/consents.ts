import type { z } from 'zod';
import { ByCourse } from '../../contract/schemas.js';
import { ConsentSign, type CourseConsent } from '../../contract/signing.js';
import { newId } from '../../db/ids.js';
import { consentsOf, insertConsent, type ConsentWrite } from '../../db/signing.js';
import { audit, currentActor, inTransaction, nowIso, type ServiceContext } from './context.js';
import { courseStore } from './courses.js';
import { AppError, parseInput } from './errors.js';
import { requireLive } from './records.js';
import { loadSettings } from './settings.js';

/**
 * Stores a signed consent on the clinic's current form (text and version copied in) with its audit
 * row; runs inside the caller's transaction. The demo clinic writes its consents through it too.
 */
export function writeConsent(
  ctx: ServiceContext,
  c: Omit<ConsentWrite, 'id' | 'templateVersion' | 'title' | 'body'>,
): CourseConsent {
  const template = loadSettings(ctx).consentTemplate;
  const id = newId();
  insertConsent(ctx.db, {
    ...c,
    id,
    templateVersion: template.version,
    title: template.title,
    body: template.body,
  });
  const saved = consentsOf(ctx.db, c.courseId).find((k) => k.id === id) as CourseConsent;
  const { clientSignature: _c, practitionerSignature: _p, body: _b, ...summary } = saved;
  audit(ctx, 'course_consent', id, 'create', null, summary, c.signedAt);
  return saved;
}

/**
 * Consent per course: the clinic's form (Settings → Consent form, versioned), signed on screen by
 * the client and by the signed-in practitioner. The signed text and version are copied into the
 * record, so a later edit of the form never changes what a client signed.
 */
export function consentService(ctx: ServiceContext) {
  return {
    ofCourse(input: z.input<typeof ByCourse>): CourseConsent[] {
      const { courseId } = parseInput(ByCourse, input);
      requireLive(ctx, courseStore, courseId);
      return consentsOf(ctx.db, courseId);
    },

    sign(input: z.input<typeof ConsentSign>): CourseConsent {
      const data = parseInput(ConsentSign, input);
      const actor = currentActor(ctx);
      if (!actor) throw new AppError('sign_in_required', 'Sign in first.');
      return inTransaction(ctx, () => {
        requireLive(ctx, courseStore, data.courseId);
        const template = loadSettings(ctx).consentTemplate;
        if (data.templateVersion !== template.version) {
          throw new AppError(
            'conflict',
            `The clinic changed the consent form while it was open (it is now version ${template.version}). Open the form again, read the new version with the client, and sign again.`,
            'templateVersion',
          );
        }
        return writeConsent(ctx, {
          courseId: data.courseId,
          photoScope: data.photoScope,
          clientName: data.clientName,
          clientSignature: data.clientSignature,
          practitionerId: actor,
          practitionerSignature: data.practitionerSignature,
          signedAt: nowIso(ctx),
        });
      });
    },
  };
}
