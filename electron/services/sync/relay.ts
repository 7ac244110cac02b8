import { z } from 'zod';
import type { Clock } from '@actual-app/crdt';
import type { Db } from '../../../db/connection.js';
import { envelopesSince, newestSchemaSeen, relayTrie, storeEnvelopes } from '../../../db/relay.js';
import { MESSAGES_PER_ENVELOPE, type Envelope } from './envelope.js';

/** Envelopes per request, each way (an envelope holds up to 500 messages). */
export const MAX_PAGE = 40;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9A-F]{4}-[0-9A-Fa-f]{16}$/;

export const ExchangeRequest = z.strictObject({
  since: z.string().regex(TIMESTAMP),
  messages: z
    .array(
      z.strictObject({
        timestamps: z.array(z.string().regex(TIMESTAMP)).min(1).max(MESSAGES_PER_ENVELOPE),
        sealed: z.string().max(4_000_000),
      }),
    )
    .max(MAX_PAGE),
  limit: z.number().int().min(0).max(MAX_PAGE).default(MAX_PAGE),
  /** The room's database schema (its newest migration): rooms on different ones must not merge. */
  schemaVersion: z.number().int().min(1).max(100_000),
});
export type ExchangeRequest = z.input<typeof ExchangeRequest>;

export interface ExchangeResponse {
  messages: Envelope[];
  /** More envelopes wait after the last one returned. */
  more: boolean;
  /** The relay's Merkle trie of every envelope time it holds (after storing this request's). */
  merkle: Clock['merkle'];
}

/**
 * A room on an older NeedleLog than one that already synced: it would drop the fields it does not
 * know (a zone's passes) and its next edit would erase them in every room, so it waits, sending and
 * receiving nothing, until it is updated.
 */
export class OutdatedRoomError extends Error {
  constructor(
    readonly schemaVersion: number,
    readonly newest: number,
  ) {
    super(
      `This room runs an older NeedleLog than another room of the clinic (database version ${schemaVersion}, the other ${newest}). ` +
        'Update NeedleLog on this computer; sync resumes by itself, and nothing recorded here is lost meanwhile.',
    );
    this.name = 'OutdatedRoomError';
  }
}

/**
 * One exchange at the relay, for a device already authenticated: store what it sends, answer with
 * what others sent after `since` (one page), and the trie that tells the room whether it has it all.
 */
export function exchange(db: Db, deviceId: string, input: unknown): ExchangeResponse {
  const req = ExchangeRequest.parse(input);
  const newest = newestSchemaSeen(db, req.schemaVersion);
  if (req.schemaVersion < newest) throw new OutdatedRoomError(req.schemaVersion, newest);
  storeEnvelopes(db, deviceId, req.messages);
  // limit 0: a send without a receive (the first half of a round), which needs no scan.
  const page = req.limit === 0 ? [] : envelopesSince(db, req.since, deviceId, req.limit + 1);
  const more = page.length > req.limit;
  const envelopes = (more ? page.slice(0, req.limit) : page).map(({ timestamps, sealed }) => ({
    timestamps,
    sealed,
  }));
  return { messages: envelopes, more, merkle: relayTrie(db) };
}
