import type { Migration } from './index.js';

/**
 * Unfinished session forms, one per course, so a half-logged session survives a crash, a reload or
 * a restart of the browser host (whose origin, and so whose localStorage, changes every launch).
 * Drafts are scratch data, not clinical records: no audit, replaced on every autosave.
 */
const migration: Migration = {
  version: 2,
  name: 'session-drafts',
  up(db) {
    db.exec(`
      CREATE TABLE session_drafts (
        course_id   TEXT PRIMARY KEY REFERENCES courses (id),
        data_json   TEXT NOT NULL CHECK (json_valid(data_json)),
        updated_at  TEXT NOT NULL
      );
    `);
  },
};

export default migration;
