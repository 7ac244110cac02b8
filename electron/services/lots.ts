import type { z } from 'zod';
import { LOT_KIND_KEYS, LotRecallQuery, RecentLotsQuery, type LotKind } from '../../contract/lots.js';
import type { LotRecall, LotUse, RecallClient, RecentLot } from '../../contract/lots.js';
import { recentLots, sessionsUsingLot, type LotUseRow } from '../../db/lots.js';
import type { ServiceContext } from './context.js';
import { parseInput } from './errors.js';

function toUse({ asCartridge, asNumbing, asGlide, ...row }: LotUseRow): LotUse {
  const flags: Record<LotKind, number> = { cartridge: asCartridge, numbing: asNumbing, glide: asGlide };
  return { ...row, usedAs: LOT_KIND_KEYS.filter((k) => flags[k] === 1) };
}

const byName = (a: RecallClient, b: RecallClient) =>
  a.lastName.localeCompare(b.lastName, 'en', { sensitivity: 'base' }) ||
  a.firstName.localeCompare(b.firstName, 'en', { sensitivity: 'base' }) ||
  a.clientId.localeCompare(b.clientId);

/** The clients of the uses (sessions by time), with their first and last use and count. */
function clientsOf(uses: LotUse[]): RecallClient[] {
  const clients = new Map<string, RecallClient>();
  for (const u of uses) {
    let c = clients.get(u.clientId);
    if (!c) {
      c = {
        clientId: u.clientId,
        firstName: u.clientFirstName,
        lastName: u.clientLastName,
        dateOfBirth: u.clientDateOfBirth,
        phone: u.clientPhone,
        email: u.clientEmail,
        sessions: 0,
        firstUse: u.performedAt,
        lastUse: u.performedAt,
        usedAs: [],
      };
      clients.set(u.clientId, c);
    }
    c.sessions += 1;
    c.lastUse = u.performedAt;
    for (const k of u.usedAs) if (!c.usedAs.includes(k)) c.usedAs.push(k);
  }
  for (const c of clients.values())
    c.usedAs.sort((a, b) => LOT_KIND_KEYS.indexOf(a) - LOT_KIND_KEYS.indexOf(b));
  return [...clients.values()].sort(byName);
}

/** Lot suggestions for the session form, and the recall of one lot across the clinic. */
export function lotService(ctx: ServiceContext) {
  return {
    recent(input: z.input<typeof RecentLotsQuery>): RecentLot[] {
      const q = parseInput(RecentLotsQuery, input);
      return recentLots(ctx.db, q.kind === null ? LOT_KIND_KEYS : [q.kind], q.prefix, q.limit);
    },

    recall(input: z.input<typeof LotRecallQuery>): LotRecall {
      const q = parseInput(LotRecallQuery, input);
      const sessions = sessionsUsingLot(ctx.db, q.lot, q.includeDeleted).map(toUse);
      const count = (k: LotKind) => sessions.filter((s) => s.usedAs.includes(k)).length;
      return {
        lot: q.lot,
        includeDeleted: q.includeDeleted,
        sessions,
        clients: clientsOf(sessions),
        firstUse: sessions[0]?.performedAt ?? null,
        lastUse: sessions[sessions.length - 1]?.performedAt ?? null,
        byKind: { cartridge: count('cartridge'), numbing: count('numbing'), glide: count('glide') },
      };
    },
  };
}
