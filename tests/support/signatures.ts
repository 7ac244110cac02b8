import type { DrawnSignature } from '../../contract/signing.js';
import type { Services } from '../../electron/services/index.js';

/** A drawn signature of `count` wavy strokes on a 400 × 150 pad, as the signature pad sends it. */
export function strokes(count: number): DrawnSignature {
  return {
    width: 400,
    height: 150,
    strokes: Array.from({ length: count }, (_, s) =>
      Array.from(
        { length: 12 },
        (_, i) => [20 + s * 110 + i * 8, 75 + Math.round(30 * Math.sin(i / 2))] as [number, number],
      ),
    ),
  };
}

/**
 * The client's and the signed-in practitioner's signatures on the clinic's current consent form
 * for a course: what every course needs before its sessions are logged (the clinic's default).
 */
export function signConsent(services: Services, courseId: string, clientName = 'Zoë Okafor') {
  return services.consents.sign({
    courseId,
    templateVersion: services.settings.get().consentTemplate.version,
    photoScope: 'record',
    clientName,
    clientSignature: strokes(3),
    practitionerSignature: strokes(2),
  });
}
