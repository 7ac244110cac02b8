import type { Db } from '../../db/connection.js';

/*
 * The overview's aggregates (migration 0006: course_stats, course_agent_stats; 0015:
 * session_hour_stats; kept by triggers) as kept, and as a full recount from the tables says they
 * must be.
 */

/** course_stats and course_agent_stats as they would be if recounted now from the tables. */
export function recount(db: Db) {
  const courses = db
    .prepare(
      `SELECT k.id AS course_id, k.client_id, k.area, k.status, k.planned_sessions, k.planned_interval_days,
         k.started_on, (k.deleted_at IS NULL AND c.deleted_at IS NULL) AS live
       FROM courses k JOIN clients c ON c.id = k.client_id ORDER BY k.id`,
    )
    .all() as Record<string, unknown>[];
  const sessionsOf = db.prepare(
    `SELECT performed_at, numbing_agent, satisfaction, gais_practitioner FROM sessions
     WHERE course_id = ? AND deleted_at IS NULL`,
  );
  const agents: Record<string, unknown>[] = [];
  const stats = courses.map((k) => {
    const live = sessionsOf.all(k.course_id) as {
      performed_at: string;
      numbing_agent: string;
      satisfaction: number | null;
      gais_practitioner: number | null;
    }[];
    const score = (col: 'satisfaction' | 'gais_practitioner') => {
      // Earliest first; at the same instant the lower value first (the rule course_stats keeps).
      const scored = live
        .filter((s) => s[col] !== null)
        .sort((a, b) =>
          a.performed_at < b.performed_at ? -1 : a.performed_at > b.performed_at ? 1 : a[col]! - b[col]!,
        );
      return { first: scored[0]?.[col] ?? null, last: scored.at(-1)?.[col] ?? null, n: scored.length };
    };
    const sat = score('satisfaction');
    const gais = score('gais_practitioner');
    const byAgent = new Map<string, number>();
    for (const s of live) byAgent.set(s.numbing_agent, (byAgent.get(s.numbing_agent) ?? 0) + 1);
    for (const [agent, n] of [...byAgent].sort())
      agents.push({ course_id: k.course_id, agent, area: k.area, live: k.live, sessions: n });
    return {
      ...k,
      sessions: live.length,
      last_at:
        live
          .map((s) => s.performed_at)
          .sort()
          .at(-1) ?? null,
      sat_first: sat.first,
      sat_last: sat.last,
      sat_n: sat.n,
      gais_first: gais.first,
      gais_last: gais.last,
      gais_n: gais.n,
    };
  });
  return { stats, agents, hours: recountHours(db) };
}

/** Live sessions of live courses of live clients per UTC hour, practitioner and course area, counted in JS. */
function recountHours(db: Db): { hour: string; practitioner_id: string; area: string; sessions: number }[] {
  const rows = db
    .prepare(
      `SELECT s.performed_at, s.practitioner_id, k.area FROM sessions s
       JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
       WHERE s.deleted_at IS NULL AND k.deleted_at IS NULL AND c.deleted_at IS NULL`,
    )
    .all() as { performed_at: string; practitioner_id: string; area: string }[];
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify([
      new Date(r.performed_at).toISOString().slice(0, 13),
      r.practitioner_id,
      r.area,
    ]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, sessions]) => {
      const [hour, practitioner_id, area] = JSON.parse(key) as [string, string, string];
      return { hour, practitioner_id, area, sessions };
    })
    .sort((a, b) => {
      const ka = `${a.hour} ${a.practitioner_id} ${a.area}`;
      const kb = `${b.hour} ${b.practitioner_id} ${b.area}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

export const kept = (db: Db) => ({
  stats: db.prepare(`SELECT * FROM course_stats ORDER BY course_id`).all(),
  agents: db.prepare(`SELECT * FROM course_agent_stats ORDER BY course_id, agent`).all(),
  hours: db.prepare(`SELECT * FROM session_hour_stats ORDER BY hour, practitioner_id, area`).all(),
});
