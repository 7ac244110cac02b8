import { z } from 'zod';
import { LOT_KIND_KEYS, MAX_LOT_LENGTH } from './domain.js';

/**
 * Lot numbers: suggestions for the session form (no retyping) and the recall of one lot across
 * the clinic. A lot is compared trimmed and ASCII case-insensitively ("l2450-17" finds "L2450-17").
 */
// The plain constants live in domain.ts, so the renderer can use them without bundling zod.
export { LOT_KINDS, LOT_KIND_KEYS, MAX_LOT_LENGTH, type LotKind } from './domain.js';

const lotKind = z.enum(LOT_KIND_KEYS, { error: 'Choose cartridge, numbing agent or glide / serum.' });
const lotText = z
  .string({ error: 'The lot must be text.' })
  .trim()
  .max(MAX_LOT_LENGTH, { error: `A lot number has at most ${MAX_LOT_LENGTH} characters.` });

export const RecentLotsQuery = z.strictObject({
  /** One kind of lot, or (null) all three. */
  kind: lotKind.nullable().default(null),
  /** Only lots starting with this (what the practitioner has typed so far). */
  prefix: lotText.default(''),
  limit: z
    .number({ error: 'The number of suggestions must be a number.' })
    .int({ error: 'The number of suggestions must be a whole number.' })
    .min(1, { error: 'Ask for at least one suggestion.' })
    .max(50, { error: 'Ask for at most 50 suggestions.' })
    .default(12),
});

export const RecentLot = z.object({
  lot: z.string(),
  kind: lotKind,
  lastUsedAt: z.string(),
});

export const LotRecallQuery = z.strictObject({
  lot: lotText.min(1, { error: 'Type the lot number to look for.' }),
  /** Deleted sessions (and sessions of deleted courses or clients) too, marked as deleted. */
  includeDeleted: z.boolean({ error: 'Include deleted must be true or false.' }).default(false),
});

/** One session that recorded the lot, with who was treated, by whom, and how to reach the client. */
export const LotUse = z.object({
  sessionId: z.string(),
  courseId: z.string(),
  clientId: z.string(),
  performedAt: z.string(),
  /** Position within the course (0 for a deleted session). */
  sessionNumber: z.number(),
  /** Which of the session's lots is the one searched for (one, or more if the same code was entered twice). */
  usedAs: z.array(lotKind),
  cartridgeLot: z.string(),
  numbingLot: z.string(),
  glideLot: z.string(),
  device: z.string(),
  cartridgeType: z.string(),
  numbingAgent: z.string(),
  glide: z.string(),
  practitionerId: z.string(),
  practitionerName: z.string(),
  clientFirstName: z.string(),
  clientLastName: z.string(),
  clientDateOfBirth: z.string().nullable(),
  clientPhone: z.string(),
  clientEmail: z.string(),
  courseArea: z.string(),
  /** When the session was deleted, else its course, else its client; null when all are live. */
  deletedAt: z.string().nullable(),
});

/** One client touched by the lot: contact details, how often and when. */
export const RecallClient = z.object({
  clientId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string().nullable(),
  phone: z.string(),
  email: z.string(),
  sessions: z.number(),
  firstUse: z.string(),
  lastUse: z.string(),
  usedAs: z.array(lotKind),
});

export const LotRecall = z.object({
  lot: z.string(),
  includeDeleted: z.boolean(),
  /** Sessions by time. */
  sessions: z.array(LotUse),
  /** Clients by name. */
  clients: z.array(RecallClient),
  firstUse: z.string().nullable(),
  lastUse: z.string().nullable(),
  /** Sessions per lot kind. */
  byKind: z.object({ cartridge: z.number(), numbing: z.number(), glide: z.number() }),
});

export type RecentLotsQuery = z.input<typeof RecentLotsQuery>;
export type RecentLot = z.output<typeof RecentLot>;
export type LotRecallQuery = z.input<typeof LotRecallQuery>;
export type LotUse = z.output<typeof LotUse>;
export type RecallClient = z.output<typeof RecallClient>;
export type LotRecall = z.output<typeof LotRecall>;
