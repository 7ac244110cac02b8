import type { Migration } from './index.js';

/**
 * Sessions per hour for the overview's sessions-per-week chart, so that a year of weeks at 100,000
 * clients (1.2 million sessions) sums a few thousand rows instead of counting every session, with
 * or without the practitioner and area filters. `session_hour_stats` holds, per UTC hour
 * (`substr(performed_at, 1, 13)`: performed_at is always stored as a 24-character UTC instant),
 * practitioner and course area, the number of live sessions of live courses of live clients (as
 * `course_stats.live` says). A local week starts at a local midnight, which is a whole UTC hour in
 * every zone but a few (India, Nepal, parts of Australia…); there the service counts the part-hours
 * at a week's edges from the sessions themselves, so every zone gets exact counts.
 *
 * Kept by triggers in the same transaction as every write (services, bundle import, sync):
 * a session's insert, delete and edit (time, practitioner, course, deletion) move its one count;
 * a change of a course's area or liveness (`course_stats`, kept by migration 0006's triggers from
 * the course and its client) moves every count of its live sessions. Rows are removed at zero.
 */

/** The count of one session `x` (new or old) in or out, when it and its course are live. */
const session = (sign: '+' | '-', x: 'new' | 'old') => `
  INSERT INTO session_hour_stats (hour, practitioner_id, area, sessions)
    SELECT substr(${x}.performed_at, 1, 13), ${x}.practitioner_id, st.area, ${sign}1
    FROM course_stats st WHERE st.course_id = ${x}.course_id AND st.live AND ${x}.deleted_at IS NULL
  ON CONFLICT (hour, practitioner_id, area) DO UPDATE SET sessions = sessions + excluded.sessions;
  DELETE FROM session_hour_stats WHERE sessions = 0 AND hour = substr(${x}.performed_at, 1, 13)
    AND practitioner_id = ${x}.practitioner_id;`;

/** Every live session of course_stats row `x` (new or old) in or out, when the course is live. */
const course = (sign: '+' | '-', x: 'new' | 'old') => `
  INSERT INTO session_hour_stats (hour, practitioner_id, area, sessions)
    SELECT substr(s.performed_at, 1, 13), s.practitioner_id, ${x}.area, ${sign}count(*)
    FROM sessions s WHERE ${x}.live AND s.course_id = ${x}.course_id AND s.deleted_at IS NULL
    GROUP BY substr(s.performed_at, 1, 13), s.practitioner_id
  ON CONFLICT (hour, practitioner_id, area) DO UPDATE SET sessions = sessions + excluded.sessions;
  DELETE FROM session_hour_stats WHERE sessions = 0 AND area = ${x}.area AND hour IN
    (SELECT substr(s.performed_at, 1, 13) FROM sessions s WHERE s.course_id = ${x}.course_id AND s.deleted_at IS NULL);`;

const migration: Migration = {
  version: 15,
  name: 'overview-hours',
  up(db) {
    db.exec(`
      CREATE TABLE session_hour_stats (
        hour             TEXT NOT NULL,
        practitioner_id  TEXT NOT NULL,
        area             TEXT NOT NULL,
        sessions         INTEGER NOT NULL,
        PRIMARY KEY (hour, practitioner_id, area)
      ) WITHOUT ROWID;

      CREATE TRIGGER session_hour_stats_insert AFTER INSERT ON sessions BEGIN ${session('+', 'new')} END;
      CREATE TRIGGER session_hour_stats_delete AFTER DELETE ON sessions BEGIN ${session('-', 'old')} END;
      CREATE TRIGGER session_hour_stats_update AFTER UPDATE OF course_id, performed_at, practitioner_id,
          deleted_at ON sessions
        WHEN old.course_id IS NOT new.course_id OR old.performed_at IS NOT new.performed_at
          OR old.practitioner_id IS NOT new.practitioner_id OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL)
      BEGIN ${session('-', 'old')} ${session('+', 'new')} END;
      CREATE TRIGGER session_hour_stats_course AFTER UPDATE OF area, live ON course_stats
        WHEN old.area IS NOT new.area OR old.live IS NOT new.live
      BEGIN ${course('-', 'old')} ${course('+', 'new')} END;

      INSERT INTO session_hour_stats (hour, practitioner_id, area, sessions)
        SELECT substr(s.performed_at, 1, 13), s.practitioner_id, st.area, count(*)
        FROM sessions s JOIN course_stats st ON st.course_id = s.course_id AND st.live
        WHERE s.deleted_at IS NULL
        GROUP BY 1, 2, 3;
    `);
  },
};

export default migration;
