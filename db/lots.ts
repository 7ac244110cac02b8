import { LOT_KIND_KEYS, type LotKind } from '../contract/domain.js';
import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/** The column of each lot kind. Identifiers from this fixed map only, never from input. */
const LOT_COLUMN: Record<LotKind, string> = {
  cartridge: 'cartridge_lot',
  numbing: 'numbing_lot',
  glide: 'glide_lot',
};

interface RecentLotRow {
  lot: string;
  kind: LotKind;
  lastUsedAt: string;
}

/** How many of the latest live sessions the suggestions look at first (what is on the shelf now). */
const RECENT_WINDOW = 2000;

/** `col` starts with @prefix, ASCII case-insensitively: a range on the NOCASE lot index. */
const startsWith = (col: string) =>
  `${col} <> '' AND ${col} >= @prefix COLLATE NOCASE AND ${col} < @prefix || char(1114111) COLLATE NOCASE`;

/**
 * Distinct lots of the given kinds in live sessions whose text starts with `prefix`, most recently
 * used first. Bounded work at any clinic size: first the lots of the latest sessions (read through
 * the session-date index; their last use there is their last use at all), then, if that leaves
 * room, the next lots in the NOCASE lot index's order, each with its last use looked up there.
 */
export function recentLots(
  db: Db,
  kinds: readonly LotKind[],
  prefix: string,
  limit: number,
  window = RECENT_WINDOW,
): RecentLotRow[] {
  const inWindow = kinds
    .map((kind) => {
      const col = LOT_COLUMN[kind];
      return `SELECT ${col} AS lot, '${kind}' AS kind, performed_at FROM latest WHERE ${startsWith(col)}`;
    })
    .join(' UNION ALL ');
  const found = stmt(
    db,
    `WITH latest AS (SELECT cartridge_lot, numbing_lot, glide_lot, performed_at FROM sessions
       WHERE deleted_at IS NULL ORDER BY performed_at DESC LIMIT @window)
     SELECT min(lot) AS lot, kind, max(performed_at) AS lastUsedAt FROM (${inWindow})
     GROUP BY lot COLLATE NOCASE, kind ORDER BY lastUsedAt DESC, lot LIMIT @limit`,
  ).all({ prefix, limit, window }) as RecentLotRow[];
  for (const kind of kinds) {
    if (found.length >= limit) break;
    const col = LOT_COLUMN[kind];
    const seen = new Set(found.filter((f) => f.kind === kind).map((f) => f.lot.toLowerCase()));
    const older = stmt(
      db,
      `SELECT lot, '${kind}' AS kind, (SELECT max(o.performed_at) FROM sessions o
         WHERE o.${col} = d.lot COLLATE NOCASE AND o.${col} <> '' AND o.deleted_at IS NULL) AS lastUsedAt
       FROM (SELECT DISTINCT ${col} COLLATE NOCASE AS lot FROM sessions
             WHERE ${startsWith(col)} AND deleted_at IS NULL LIMIT @take) d`,
    ).all({ prefix, take: limit + seen.size }) as RecentLotRow[];
    found.push(...older.filter((o) => !seen.has(o.lot.toLowerCase())));
  }
  return found
    .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt) || a.lot.localeCompare(b.lot))
    .slice(0, limit);
}

export interface LotUseRow {
  sessionId: string;
  courseId: string;
  clientId: string;
  performedAt: string;
  sessionNumber: number;
  cartridgeLot: string;
  numbingLot: string;
  glideLot: string;
  /** 1 where that lot column is the one searched for. */
  asCartridge: number;
  asNumbing: number;
  asGlide: number;
  device: string;
  cartridgeType: string;
  numbingAgent: string;
  glide: string;
  practitionerId: string;
  practitionerName: string;
  clientFirstName: string;
  clientLastName: string;
  clientDateOfBirth: string | null;
  clientPhone: string;
  clientEmail: string;
  courseArea: string;
  /** When the session was deleted, else its course, else its client; null: all live. */
  deletedAt: string | null;
}

const matches = (kind: LotKind) => {
  const col = LOT_COLUMN[kind];
  return `${col} = @lot COLLATE NOCASE AND ${col} <> ''`;
};

/**
 * Every session that recorded `lot` as any of its lot numbers, by session time: one indexed
 * lookup per lot column, then the session's course, client and practitioner. Deleted sessions, or
 * sessions of a deleted course or client, only when `includeDeleted`.
 */
export function sessionsUsingLot(db: Db, lot: string, includeDeleted: boolean): LotUseRow[] {
  const lookups = LOT_KIND_KEYS.map((k) => `SELECT id FROM sessions WHERE ${matches(k)}`).join(' UNION ');
  return stmt(
    db,
    `SELECT s.id AS sessionId, s.course_id AS courseId, c.id AS clientId, s.performed_at AS performedAt,
       CASE WHEN s.deleted_at IS NULL THEN ${SESSION_NUMBER} ELSE 0 END AS sessionNumber,
       s.cartridge_lot AS cartridgeLot, s.numbing_lot AS numbingLot, s.glide_lot AS glideLot,
       (s.${matches('cartridge')}) AS asCartridge, (s.${matches('numbing')}) AS asNumbing,
       (s.${matches('glide')}) AS asGlide,
       s.device, s.cartridge_type AS cartridgeType, s.numbing_agent AS numbingAgent, s.glide,
       p.id AS practitionerId, p.name AS practitionerName,
       c.first_name AS clientFirstName, c.last_name AS clientLastName, c.date_of_birth AS clientDateOfBirth,
       c.phone AS clientPhone, c.email AS clientEmail, k.area AS courseArea,
       coalesce(s.deleted_at, k.deleted_at, c.deleted_at) AS deletedAt
     FROM (${lookups}) m JOIN sessions s ON s.id = m.id JOIN courses k ON k.id = s.course_id
       JOIN clients c ON c.id = k.client_id JOIN practitioners p ON p.id = s.practitioner_id
     WHERE @includeDeleted = 1 OR (s.deleted_at IS NULL AND k.deleted_at IS NULL AND c.deleted_at IS NULL)
     ORDER BY s.performed_at, s.id`,
  ).all({ lot, includeDeleted: includeDeleted ? 1 : 0 }) as LotUseRow[];
}
