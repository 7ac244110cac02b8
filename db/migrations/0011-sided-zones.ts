import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './index.js';

/**
 * Needle depths split by side (eyes, cheeks, jawline) and the lips by lip (issue 16, face zone map).
 * A stored "cheeks 0.75 mm" recorded that both cheeks were treated at 0.75 mm, and "lips / perioral"
 * covered both lips and the skin around them, so each row becomes one row per part at the same depth:
 * the same skin at the same depth, said in today's vocabulary, nothing invented (no asymmetry, no
 * different depth). The zone list is copied here, not imported, because a shipped migration must
 * keep doing what it did when the vocabulary moves on. Custom depth ranges in Settings and
 * unfinished drafts follow the same split; audit rows keep the words they were written with.
 */
const SPLIT: Record<string, readonly string[]> = {
  lips_perioral: ['upper_lip', 'lower_lip', 'perioral'],
  periorbital: ['periorbital_left', 'periorbital_right'],
  cheeks: ['cheek_left', 'cheek_right'],
  jawline: ['jawline_left', 'jawline_right'],
};

function splitList<T extends { zone: string }>(zones: readonly T[]): T[] {
  const out: T[] = [];
  for (const z of zones) {
    for (const part of SPLIT[z.zone] ?? [z.zone]) {
      if (!out.some((o) => o.zone === part)) out.push({ ...z, zone: part });
    }
  }
  return out;
}

function splitSessionZones(db: Database.Database): void {
  const legacy = Object.keys(SPLIT);
  const sessions = db
    .prepare(
      `SELECT DISTINCT session_id AS id FROM session_zones WHERE zone IN (${legacy.map(() => '?').join(', ')})`,
    )
    .pluck()
    .all(...legacy) as string[];
  const rowsOf = db.prepare(
    `SELECT zone, depth_mm AS depthMm FROM session_zones WHERE session_id = ? ORDER BY position`,
  );
  const clear = db.prepare(`DELETE FROM session_zones WHERE session_id = ?`);
  const insert = db.prepare(
    `INSERT INTO session_zones (session_id, position, zone, depth_mm) VALUES (?, ?, ?, ?)`,
  );
  for (const id of sessions) {
    const zones = splitList(rowsOf.all(id) as { zone: string; depthMm: number }[]);
    clear.run(id);
    zones.forEach((z, position) => insert.run(id, position, z.zone, z.depthMm));
  }
}

function splitDepthRanges(db: Database.Database): void {
  const row = db.prepare(`SELECT value_json AS v FROM settings WHERE key = 'depthRanges'`).get() as
    { v: string } | undefined;
  if (!row) return;
  const ranges = JSON.parse(row.v) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [zone, range] of Object.entries(ranges)) {
    for (const part of SPLIT[zone] ?? [zone]) out[part] ??= range;
  }
  db.prepare(`UPDATE settings SET value_json = ? WHERE key = 'depthRanges'`).run(JSON.stringify(out));
}

function splitDrafts(db: Database.Database): void {
  const drafts = db.prepare(`SELECT course_id AS id, data_json AS json FROM session_drafts`).all() as {
    id: string;
    json: string;
  }[];
  const update = db.prepare(`UPDATE session_drafts SET data_json = ? WHERE course_id = ?`);
  for (const d of drafts) {
    const data = JSON.parse(d.json) as { values?: { zones?: unknown } };
    const zones = data.values?.zones;
    if (!Array.isArray(zones) || !zones.every((z) => typeof (z as { zone?: unknown })?.zone === 'string'))
      continue;
    data.values!.zones = splitList(zones as { zone: string }[]);
    update.run(JSON.stringify(data), d.id);
  }
}

const migration: Migration = {
  version: 11,
  name: 'sided-zones',
  up(db) {
    splitSessionZones(db);
    splitDepthRanges(db);
    splitDrafts(db);
  },
};

export default migration;
