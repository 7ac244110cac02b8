import { z } from 'zod';
import { PHOTO_CONSENTS } from './domain.js';
import { GivenPin } from './auth.js';
import { recordId, text, wholeNumber } from './fields.js';
import { SessionUpdate } from './schemas.js';

/*
 * Signed sessions and addenda (issue 16, item 3) and signed consent (item 4). A signed session is
 * locked: later corrections are addenda (who, when, why, what changed), never silent edits; the
 * record as it was signed is kept whole beside its signature.
 */

const id = recordId;

/** The reason every addendum and every consent override must give. */
function reason(label: string) {
  return text(label, 2000, { multiline: true }).min(1, {
    error: `${label} is required: say why, for whoever reads the record later.`,
  });
}

// ---------- session signatures ----------
export const SIGNATURE_ROLES = ['author', 'cosigner'] as const;

/** "Sign session": the practitioner who performed it re-enters their PIN. Co-sign: a manager's PIN. */
export const SignSession = z.strictObject({ sessionId: id, pin: GivenPin });

/** A correction of a signed session: the changed fields (as an edit would send them) and why. */
export const AmendSession = z.strictObject({
  sessionId: id,
  reason: reason('Reason for the addendum'),
  patch: SessionUpdate.shape.patch,
});

export const Signature = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: z.enum(SIGNATURE_ROLES),
  practitionerId: z.string(),
  practitionerName: z.string(),
  signedAt: z.string(),
  /** SHA-256 of the record as it was signed (recordJson), so a later reader can check it. */
  recordSha256: z.string(),
});

/** What one addendum changed: the fields' values before and after, as partial session snapshots. */
export const AddendumChanges = z.object({
  before: z.record(z.string(), z.unknown()),
  after: z.record(z.string(), z.unknown()),
});

export const Addendum = z.object({
  id: z.string(),
  sessionId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  at: z.string(),
  reason: z.string(),
  changes: AddendumChanges,
});

/** The signing state of one session: its signatures (author first) and its addenda, oldest first. */
export const SessionSigning = z.object({
  sessionId: z.string(),
  signatures: z.array(Signature),
  addenda: z.array(Addendum),
  /** When the session was logged without signed consent on file, the reason given. */
  consentOverride: z.object({ reason: z.string(), at: z.string(), actorName: z.string() }).nullable(),
});

/** A session of the signed-in practitioner still to be signed, older than the clinic's reminder age. */
export const UnsignedSession = z.object({
  sessionId: z.string(),
  courseId: z.string(),
  number: z.number(),
  performedAt: z.string(),
  clientName: z.string(),
  area: z.string(),
});
export const UnsignedList = z.object({ afterDays: z.number(), items: z.array(UnsignedSession) });

// ---------- consent ----------
/** One point of a drawn signature, in the pad's own pixels. */
const Point = z.tuple([z.number().finite().min(0).max(4000), z.number().finite().min(0).max(4000)]);
/** A signature drawn on screen: strokes of points, and the size of the pad they were drawn on. */
export const DrawnSignature = z.strictObject(
  {
    width: wholeNumber('Signature width', 50, 4000),
    height: wholeNumber('Signature height', 20, 4000),
    strokes: z
      .array(z.array(Point).min(1).max(5000), { error: 'A signature is a list of strokes.' })
      .max(500, { error: 'The signature has too many strokes; clear it and sign again.' })
      .refine((strokes) => strokes.reduce((n, s) => n + s.length, 0) >= 8, {
        error: 'Sign in the box: the signature is empty or too short.',
      }),
  },
  { error: 'Sign in the box first.' },
);
export type DrawnSignature = z.output<typeof DrawnSignature>;

/** What a typed signature's signer confirms, shown beside the box and printed with the signature. */
export const TYPED_SIGNATURE_ATTESTATION =
  'I confirm that typing my name here is my signature on this form, as binding as one drawn by hand.';

/**
 * A signature typed instead of drawn, for whoever signs by keyboard or screen reader: the full
 * name as typed and the signer's ticked attestation (TYPED_SIGNATURE_ATTESTATION). Kept, shown and
 * printed as a typed signature, never drawn as if it were handwriting.
 */
const TypedSignature = z.strictObject({
  kind: z.literal('typed'),
  name: text('Typed signature', 200).min(1, { error: 'Type the full name to sign.' }),
  attested: z
    .boolean({ error: 'Tick the box to confirm that the typed name is the signature.' })
    .refine((v) => v, { error: 'Tick the box to confirm that the typed name is the signature.' }),
});
type TypedSignature = z.output<typeof TypedSignature>;

/** A consent signature: drawn on the pad, or typed with its attestation. */
export const ConsentSignature = z.union([TypedSignature, DrawnSignature], {
  error: 'Sign in the box, or type the name and tick the box that it is the signature.',
});
export type ConsentSignature = z.output<typeof ConsentSignature>;

export function isTyped(signature: ConsentSignature): signature is TypedSignature {
  return 'kind' in signature && signature.kind === 'typed';
}

export const ConsentSign = z.strictObject({
  courseId: id,
  /** The version the client read: refused if the clinic changed the form meanwhile. */
  templateVersion: wholeNumber('Form version', 1, 1_000_000),
  photoScope: z.enum(PHOTO_CONSENTS, { error: 'Choose what photos may be used for (or none).' }),
  clientName: text('Client name', 200).min(1, { error: 'Client name is required.' }),
  clientSignature: ConsentSignature,
  practitionerSignature: ConsentSignature,
});

export const CourseConsent = z.object({
  id: z.string(),
  courseId: z.string(),
  templateVersion: z.number(),
  title: z.string(),
  body: z.string(),
  photoScope: z.enum(PHOTO_CONSENTS),
  clientName: z.string(),
  clientSignature: ConsentSignature,
  practitionerId: z.string(),
  practitionerName: z.string(),
  practitionerSignature: ConsentSignature,
  signedAt: z.string(),
});

export type Signature = z.output<typeof Signature>;
export type Addendum = z.output<typeof Addendum>;
export type SessionSigning = z.output<typeof SessionSigning>;
export type UnsignedSession = z.output<typeof UnsignedSession>;
export type CourseConsent = z.output<typeof CourseConsent>;
export type ConsentSign = z.input<typeof ConsentSign>;

/** The form a new clinic starts from (domain notes: procedure, risks, aftercare, photo scope). */
export const DEFAULT_CONSENT_TEMPLATE = {
  version: 1,
  title: 'Consent to microneedling (collagen induction therapy)',
  body: [
    'The procedure. Microneedling punctures the skin with fine sterile needles to start wound healing and new collagen. A course is usually 3 to 6 sessions a few weeks apart; results show over weeks. A numbing cream may be applied first.',
    '',
    'Risks. Redness and swelling for a few days are expected; pinpoint bleeding during the treatment. Less often: bruising, infection, a cold-sore (herpes) flare, an acne flare, darker patches of skin (post-inflammatory hyperpigmentation, more likely in darker skin types), lines or marks from the needles (tram-track scarring), a reaction to the serum or numbing cream, and rarely a granulomatous reaction. I have told the practitioner about my health, medicines (including blood thinners and isotretinoin), allergies, pregnancy, and any recent filler or toxin in the area.',
    '',
    'Aftercare. No make-up for 24 to 48 hours; no retinoids, acids or vitamin C for 5 to 7 days; SPF 30 or higher from 24 hours; avoid heat, sweat and sun for 24 to 48 hours; keep lips moisturised after lip treatment. I will contact the clinic about anything unexpected.',
    '',
    'Photos. Photos are part of my clinical record. What else they may be used for is the scope chosen below: record only, teaching (without my name), or marketing.',
    '',
    'I have read this form, my questions have been answered, and I agree to the treatment.',
  ].join('\n'),
} as const;
