import type { z } from 'zod';
import { ByCourse } from '../../contract/schemas.js';
import { ConsentSign, type CourseConsent } from '../../contract/signing.js';
import { newId } from '../../db/ids.js';
import { consentsOf, insertConsent } from '../../db/signing.js';
import { audit, currentActor, inTransaction, nowIso, type ServiceContext } from './context.js';
import { courseStore } from './courses.js';
import { AppError, parseInput } from './errors.js';
import { requireLive } from './records.js';
import { loadSettings } from './settings.js';

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
        const at = nowIso(ctx);
        const id = newId();
        insertConsent(ctx.db, {
          id,
          courseId: data.courseId,
          templateVersion: template.version,
          title: template.title,
          body: template.body,
          photoScope: data.photoScope,
          clientName: data.clientName,
          clientSignature: data.clientSignature,
          practitionerId: actor,
          practitionerSignature: data.practitionerSignature,
          signedAt: at,
        });
        const saved = consentsOf(ctx.db, data.courseId).find((c) => c.id === id) as CourseConsent;
        const { clientSignature: _c, practitionerSignature: _p, body: _b, ...summary } = saved;
        audit(ctx, 'course_consent', id, 'create', null, summary, at);
        return saved;
      });
    },
  };
}
