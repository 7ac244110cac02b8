import type { Migration } from './index.js';

/**
 * What the clinic overview reads, kept small and up to date in the same transaction as every write
 * (by triggers, so every write path — services, bundle import, restore — keeps them right):
 * - `course_stats`: one row per course with what the overview needs of it (client, area, status,
 *   plan, and `live`: the course and its client not deleted) and of its live sessions: how many,
 *   the last one, and per score the first and last recorded value (at the same instant the lower
 *   value first) and how many sessions have one. A write to a session recounts its course from
 *   the course's own index rows (a handful); a write to a course or a client updates its rows.
 * - `course_agent_stats`: live sessions per course and numbing agent, with the course's area and
 *   liveness, so the all-time figures by area and agent need no join.
 * - covering indexes on live sessions, so the period figures read a narrow index, never the table:
 *   by course (replacing sessions_by_course, whose columns it starts with) and by date (replacing
 *   sessions_by_date), each with every column the overview reads.
 */
const RECOUNT = (courseId: string) => `
  UPDATE course_stats SET
    sessions = (SELECT count(*) FROM sessions x WHERE x.course_id = ${courseId} AND x.deleted_at IS NULL),
    last_at = (SELECT max(x.performed_at) FROM sessions x WHERE x.course_id = ${courseId} AND x.deleted_at IS NULL),
    ${['satisfaction:sat', 'gais_practitioner:gais']
      .map((pair) => {
        const [col, name] = pair.split(':') as [string, string];
        const scored = `FROM sessions x WHERE x.course_id = ${courseId} AND x.deleted_at IS NULL AND x.${col} IS NOT NULL`;
        return `${name}_first = (SELECT x.${col} ${scored} ORDER BY x.performed_at, x.${col} LIMIT 1),
    ${name}_last = (SELECT x.${col} ${scored} ORDER BY x.performed_at DESC, x.${col} DESC LIMIT 1),
    ${name}_n = (SELECT count(*) ${scored})`;
      })
      .join(',\n    ')}
  WHERE course_id = ${courseId};
  DELETE FROM course_agent_stats WHERE course_id = ${courseId};
  INSERT INTO course_agent_stats (course_id, agent, area, live, sessions)
    SELECT ${courseId}, x.numbing_agent, st.area, st.live, count(*)
    FROM sessions x JOIN course_stats st ON st.course_id = ${courseId}
    WHERE x.course_id = ${courseId} AND x.deleted_at IS NULL GROUP BY x.numbing_agent;`;

/** The course's own columns of course_stats, from `k` (a courses row) and its client's liveness. */
const COURSE_COLUMNS = `client_id, area, status, planned_sessions, planned_interval_days, started_on, live`;
const courseValues = (k: string) =>
  `${k}.client_id, ${k}.area, ${k}.status, ${k}.planned_sessions, ${k}.planned_interval_days, ${k}.started_on,
   ${k}.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = ${k}.client_id AND c.deleted_at IS NOT NULL)`;

const migration: Migration = {
  version: 6,
  name: 'overview-aggregates',
  up(db) {
    db.exec(`
      DROP INDEX sessions_by_course;
      CREATE INDEX sessions_by_course ON sessions
        (course_id, performed_at, practitioner_id, numbing_agent, satisfaction, gais_practitioner)
        WHERE deleted_at IS NULL;
      DROP INDEX sessions_by_date;
      CREATE INDEX sessions_by_date ON sessions
        (performed_at, course_id, practitioner_id, numbing_agent, satisfaction, gais_practitioner)
        WHERE deleted_at IS NULL;

      CREATE TABLE course_stats (
        course_id              TEXT PRIMARY KEY,
        client_id              TEXT NOT NULL,
        area                   TEXT NOT NULL,
        status                 TEXT NOT NULL,
        planned_sessions       INTEGER NOT NULL,
        planned_interval_days  INTEGER NOT NULL,
        started_on             TEXT NOT NULL,
        live                   INTEGER NOT NULL,
        sessions               INTEGER NOT NULL DEFAULT 0,
        last_at                TEXT,
        sat_first              INTEGER,
        sat_last               INTEGER,
        sat_n                  INTEGER NOT NULL DEFAULT 0,
        gais_first             INTEGER,
        gais_last              INTEGER,
        gais_n                 INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX course_stats_by_client ON course_stats (client_id);
      CREATE INDEX course_stats_dead ON course_stats (course_id) WHERE NOT live;
      CREATE TABLE course_agent_stats (
        course_id  TEXT NOT NULL,
        agent      TEXT NOT NULL,
        area       TEXT NOT NULL,
        live       INTEGER NOT NULL,
        sessions   INTEGER NOT NULL,
        PRIMARY KEY (course_id, agent)
      ) WITHOUT ROWID;

      CREATE TRIGGER course_stats_course_insert AFTER INSERT ON courses BEGIN
        INSERT INTO course_stats (course_id, ${COURSE_COLUMNS}) SELECT new.id, ${courseValues('new')};
      END;
      CREATE TRIGGER course_stats_course_update AFTER UPDATE OF client_id, area, status, planned_sessions,
          planned_interval_days, started_on, deleted_at ON courses BEGIN
        UPDATE course_stats SET (${COURSE_COLUMNS}) = (SELECT ${courseValues('new')}) WHERE course_id = new.id;
        UPDATE course_agent_stats SET (area, live) = (SELECT area, live FROM course_stats WHERE course_id = new.id)
          WHERE course_id = new.id;
      END;
      CREATE TRIGGER course_stats_course_delete AFTER DELETE ON courses BEGIN
        DELETE FROM course_stats WHERE course_id = old.id;
        DELETE FROM course_agent_stats WHERE course_id = old.id;
      END;
      CREATE TRIGGER course_stats_client_update AFTER UPDATE OF deleted_at ON clients BEGIN
        UPDATE course_stats SET live = (SELECT k.deleted_at IS NULL AND new.deleted_at IS NULL FROM courses k
            WHERE k.id = course_stats.course_id)
          WHERE client_id = new.id;
        UPDATE course_agent_stats SET live = (SELECT live FROM course_stats st WHERE st.course_id = course_agent_stats.course_id)
          WHERE course_id IN (SELECT course_id FROM course_stats WHERE client_id = new.id);
      END;

      CREATE TRIGGER course_stats_session_insert AFTER INSERT ON sessions BEGIN ${RECOUNT('new.course_id')} END;
      CREATE TRIGGER course_stats_session_delete AFTER DELETE ON sessions BEGIN ${RECOUNT('old.course_id')} END;
      CREATE TRIGGER course_stats_session_update AFTER UPDATE OF course_id, performed_at, numbing_agent,
          satisfaction, gais_practitioner, deleted_at ON sessions BEGIN ${RECOUNT('new.course_id')} END;
      CREATE TRIGGER course_stats_session_move AFTER UPDATE OF course_id ON sessions
          WHEN old.course_id IS NOT new.course_id BEGIN ${RECOUNT('old.course_id')} END;
    `);
    // Backfill: every course's row, then its session figures.
    db.exec(
      `INSERT INTO course_stats (course_id, ${COURSE_COLUMNS}) SELECT k.id, ${courseValues('k')} FROM courses k`,
    );
    const recount = RECOUNT('@id')
      .split(';')
      .filter((q) => q.trim())
      .map((q) => db.prepare(q));
    for (const id of db.prepare(`SELECT DISTINCT course_id FROM sessions`).pluck().all() as string[]) {
      for (const q of recount) q.run({ id });
    }
  },
};

export default migration;
