import { z } from 'zod';

/**
 * Who is at the keyboard: sign-in with a PIN, roles, lock, and the clinic's activity log.
 * A PIN never leaves this shape of input: it is checked on the main side and only its salted
 * scrypt hash is stored.
 */

const id = z.uuid({ error: 'That record reference is not valid.' });

const ROLES = ['manager', 'practitioner'] as const;
export const Role = z.enum(ROLES, { error: 'Choose manager or practitioner.' });
export type Role = z.output<typeof Role>;

const PIN_RULE = 'A PIN is at least 6 digits, or a passphrase of at least 8 characters.';

/** A new PIN: 6+ digits, or a passphrase of 8+ characters (its owner's choice). Never trimmed. */
export const NewPin = z
  .string({ error: 'PIN is required.' })
  .max(200, { error: 'A PIN is at most 200 characters.' })
  .refine((pin) => (/^\d+$/.test(pin) ? pin.length >= 6 : pin.length >= 8), { error: PIN_RULE });

/** A PIN being checked: anything up to the limit (a wrong one is just wrong). */
export const GivenPin = z
  .string({ error: 'PIN is required.' })
  .min(1, { error: 'PIN is required.' })
  .max(200, { error: 'That PIN is too long.' });

export const SignIn = z.strictObject({ practitionerId: id, pin: GivenPin });
export const Unlock = z.strictObject({ pin: GivenPin });
/** First sign-in of a practitioner who has no PIN yet (a clinic from before sign-in, or added without one). */
export const SetOwnPin = z.strictObject({ practitionerId: id, pin: NewPin });
export const ChangePin = z.strictObject({ currentPin: GivenPin, pin: NewPin });
/** A manager sets a new PIN for someone who forgot theirs. */
export const ResetPin = z.strictObject({ id, pin: NewPin });
/** First run: the clinic and its first practitioner, who is a manager. */
export const Setup = z.strictObject({
  clinicName: z
    .string({ error: 'Clinic name is required.' })
    .trim()
    .min(1, { error: 'Clinic name is required.' })
    .max(200, { error: 'Clinic name is too long (at most 200 characters).' }),
  name: z
    .string({ error: 'Your name is required.' })
    .trim()
    .min(1, { error: 'Your name is required.' })
    .max(200, { error: 'Your name is too long (at most 200 characters).' }),
  credentials: z.string().trim().max(200, { error: 'Credentials are too long.' }).default(''),
  pin: NewPin,
});

export const SignedInPerson = z.object({ id: z.string(), name: z.string(), role: Role });
export type SignedInPerson = z.output<typeof SignedInPerson>;

/** One name on the sign-in screen: no client data, nothing about the PIN but whether one is set. */
export const SignInPerson = z.object({
  id: z.string(),
  name: z.string(),
  credentials: z.string(),
  role: Role,
  hasPin: z.boolean(),
  /** After too many wrong PINs: the next try is accepted from this instant (ISO-8601 UTC). */
  waitUntil: z.string().nullable(),
});
export type SignInPerson = z.output<typeof SignInPerson>;

export const AuthStatus = z.object({
  state: z.enum(['signedOut', 'signedIn', 'locked']),
  /** Who is signed in (or whose session is locked). */
  practitioner: SignedInPerson.nullable(),
  people: z.array(SignInPerson),
  /** No practitioner yet: the first-run screen sets up the clinic and its manager. */
  firstRun: z.boolean(),
  /** No manager has a PIN (a clinic from before sign-in): a manager signs in first. */
  managerPinNeeded: z.boolean(),
  clinicName: z.string(),
  idleLockMinutes: z.number(),
  /** The demo clinic's practitioners and their PINs, shown on its sign-in screen; null for a real clinic. */
  demoPins: z.array(z.object({ name: z.string(), pin: z.string() })).nullable(),
});
export type AuthStatus = z.output<typeof AuthStatus>;

const ACTIVITY_KINDS = ['records', 'signIn', 'access'] as const;
const ACTIVITY_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'sign_in',
  'sign_out',
  'lock',
  'unlock',
  'sign_in_failed',
  'sign_in_wait',
  'pin_set',
  'pin_reset',
  'export',
  'view_photos',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export const ActivityQuery = z.strictObject({
  actorId: id.nullable().default(null),
  kind: z.enum(ACTIVITY_KINDS, { error: 'Choose a valid kind of activity.' }).nullable().default(null),
  from: z.iso.date({ error: 'From must be a date like 2026-03-31.' }).nullable().default(null),
  to: z.iso.date({ error: 'To must be a date like 2026-03-31.' }).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(200),
  offset: z.number().int().min(0).max(10_000_000).default(0),
});
export type ActivityQuery = z.input<typeof ActivityQuery>;

export const ActivityEntry = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.enum(ACTIVITY_ACTIONS),
  /** What it concerns: a record type (client, session…), "sign-in", "export", "photos". */
  entity: z.string(),
  entityId: z.string(),
  /** A short description for the list (never a PIN, never clinical content). */
  summary: z.string(),
});
export type ActivityEntry = z.output<typeof ActivityEntry>;
export const ActivityPage = z.object({ items: z.array(ActivityEntry), total: z.number() });
