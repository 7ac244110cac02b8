import type { Migration } from './index.js';

/**
 * Signed sessions, addenda and signed consent (issue 16, items 3 and 4). A signature keeps the
 * session as it was signed (its JSON and SHA-256); an addendum keeps who corrected what, when and
 * why; a course's consent keeps the form's text and version as signed, with both drawn
 * signatures. These rows are never changed or removed: triggers refuse it, so not even a bug can
 * rewrite what was signed. A session logged without signed consent on file keeps the reason given.
 */
const IMMUTABLE = ['session_signatures', 'session_addenda', 'course_consents', 'consent_overrides'];

const migration: Migration = {
  version: 10,
  name: 'signed-records',
  up(db) {
    db.exec(`
      CREATE TABLE session_signatures (
        id               TEXT PRIMARY KEY,
        session_id       TEXT NOT NULL REFERENCES sessions (id),
        practitioner_id  TEXT NOT NULL REFERENCES practitioners (id),
        role             TEXT NOT NULL CHECK (role IN ('author', 'cosigner')),
        signed_at        TEXT NOT NULL,
        record_json      TEXT NOT NULL CHECK (json_valid(record_json)),
        record_sha256    TEXT NOT NULL CHECK (length(record_sha256) = 64),
        UNIQUE (session_id, role)
      );

      CREATE TABLE session_addenda (
        id            TEXT PRIMARY KEY,
        session_id    TEXT NOT NULL REFERENCES sessions (id),
        author_id     TEXT NOT NULL REFERENCES practitioners (id),
        at            TEXT NOT NULL,
        reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        changes_json  TEXT NOT NULL CHECK (json_valid(changes_json))
      );
      CREATE INDEX session_addenda_by_session ON session_addenda (session_id, at);

      CREATE TABLE course_consents (
        id                           TEXT PRIMARY KEY,
        course_id                    TEXT NOT NULL REFERENCES courses (id),
        template_version             INTEGER NOT NULL CHECK (template_version >= 1),
        title                        TEXT NOT NULL,
        body                         TEXT NOT NULL,
        photo_scope                  TEXT NOT NULL
                                       CHECK (photo_scope IN ('none', 'record', 'teaching', 'marketing')),
        client_name                  TEXT NOT NULL,
        client_signature_json        TEXT NOT NULL CHECK (json_valid(client_signature_json)),
        practitioner_id              TEXT NOT NULL REFERENCES practitioners (id),
        practitioner_signature_json  TEXT NOT NULL CHECK (json_valid(practitioner_signature_json)),
        signed_at                    TEXT NOT NULL
      );
      CREATE INDEX course_consents_by_course ON course_consents (course_id, signed_at);

      CREATE TABLE consent_overrides (
        id          TEXT PRIMARY KEY,
        session_id  TEXT NOT NULL UNIQUE REFERENCES sessions (id),
        actor_id    TEXT REFERENCES practitioners (id),
        at          TEXT NOT NULL,
        reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0)
      );
    `);
    for (const table of IMMUTABLE) {
      db.exec(`
        CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'signed records are never changed: add an addendum instead'); END;
        CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'signed records are never removed'); END;
      `);
    }
  },
};

export default migration;
