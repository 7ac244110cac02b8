import type { Migration } from './index.js';

/**
 * Schema v1. Conventions: UUIDv7 text ids, ISO-8601 UTC text timestamps, soft delete via
 * deleted_at on clinical records. CHECK constraints hold only the hard limits (typos, impossible
 * values); clinical "typical" ranges live in settings and produce warnings, not errors.
 */
const migration: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE practitioners (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
        credentials TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted_at  TEXT
      );
      CREATE INDEX practitioners_by_name ON practitioners (name COLLATE NOCASE) WHERE deleted_at IS NULL;

      CREATE TABLE clients (
        id                      TEXT PRIMARY KEY,
        first_name              TEXT NOT NULL CHECK (length(trim(first_name)) BETWEEN 1 AND 200),
        last_name               TEXT NOT NULL CHECK (length(last_name) <= 200),
        -- Accent-folded, lower-cased "last first", kept by the service for ordering the client list.
        sort_name               TEXT NOT NULL,
        date_of_birth           TEXT,
        phone                   TEXT NOT NULL DEFAULT '',
        email                   TEXT NOT NULL DEFAULT '',
        fitzpatrick             INTEGER CHECK (fitzpatrick BETWEEN 1 AND 6),
        contraindications       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contraindications)),
        contraindication_notes  TEXT NOT NULL DEFAULT '',
        notes                   TEXT NOT NULL DEFAULT '',
        created_at              TEXT NOT NULL,
        updated_at              TEXT NOT NULL,
        deleted_at              TEXT
      );
      CREATE INDEX clients_by_name ON clients (sort_name, id) WHERE deleted_at IS NULL;

      -- Name search: prefix and accent-insensitive ("zoe" finds "Zoë") through FTS5's unicode61
      -- tokenizer. Keyed by client id rather than rowid, which VACUUM may renumber.
      CREATE VIRTUAL TABLE clients_search USING fts5(
        client_id UNINDEXED, first_name, last_name,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
        INSERT INTO clients_search (client_id, first_name, last_name)
        VALUES (new.id, new.first_name, new.last_name);
      END;
      CREATE TRIGGER clients_search_update AFTER UPDATE OF first_name, last_name ON clients BEGIN
        DELETE FROM clients_search WHERE client_id = old.id;
        INSERT INTO clients_search (client_id, first_name, last_name)
        VALUES (new.id, new.first_name, new.last_name);
      END;
      CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
        DELETE FROM clients_search WHERE client_id = old.id;
      END;

      CREATE TABLE courses (
        id                     TEXT PRIMARY KEY,
        client_id              TEXT NOT NULL REFERENCES clients (id),
        area                   TEXT NOT NULL,
        indication             TEXT NOT NULL,
        planned_sessions       INTEGER NOT NULL CHECK (planned_sessions BETWEEN 1 AND 50),
        planned_interval_days  INTEGER NOT NULL CHECK (planned_interval_days BETWEEN 1 AND 365),
        status                 TEXT NOT NULL DEFAULT 'active'
                                 CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
        started_on             TEXT NOT NULL,
        notes                  TEXT NOT NULL DEFAULT '',
        created_at             TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        deleted_at             TEXT
      );
      CREATE INDEX courses_by_client ON courses (client_id, started_on) WHERE deleted_at IS NULL;
      CREATE INDEX courses_by_status ON courses (status, area) WHERE deleted_at IS NULL;

      CREATE TABLE sessions (
        id                      TEXT PRIMARY KEY,
        course_id               TEXT NOT NULL REFERENCES courses (id),
        practitioner_id         TEXT NOT NULL REFERENCES practitioners (id),
        performed_at            TEXT NOT NULL,
        device                  TEXT NOT NULL DEFAULT '',
        cartridge_type          TEXT NOT NULL DEFAULT '',
        cartridge_lot           TEXT NOT NULL DEFAULT '',
        passes                  INTEGER CHECK (passes BETWEEN 0 AND 50),
        speed                   INTEGER CHECK (speed BETWEEN 0 AND 100),
        glide                   TEXT NOT NULL DEFAULT '',
        numbing_agent           TEXT NOT NULL DEFAULT 'none',
        numbing_concentration   TEXT NOT NULL DEFAULT '',
        numbing_minutes         INTEGER CHECK (numbing_minutes BETWEEN 0 AND 240),
        numbing_occlusion       INTEGER NOT NULL DEFAULT 0 CHECK (numbing_occlusion IN (0, 1)),
        numbing_area            TEXT NOT NULL DEFAULT '',
        procedure_minutes       INTEGER CHECK (procedure_minutes BETWEEN 0 AND 600),
        pain                    INTEGER CHECK (pain BETWEEN 0 AND 10),
        erythema                INTEGER CHECK (erythema BETWEEN 0 AND 3),
        edema                   INTEGER CHECK (edema BETWEEN 0 AND 3),
        bleeding                INTEGER CHECK (bleeding BETWEEN 0 AND 3),
        aftercare               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aftercare)),
        gais_practitioner       INTEGER CHECK (gais_practitioner BETWEEN 1 AND 5),
        gais_client             INTEGER CHECK (gais_client BETWEEN 1 AND 5),
        satisfaction            INTEGER CHECK (satisfaction BETWEEN 0 AND 10),
        lip_fullness_upper      INTEGER CHECK (lip_fullness_upper BETWEEN 1 AND 5),
        lip_fullness_lower      INTEGER CHECK (lip_fullness_lower BETWEEN 1 AND 5),
        goodman_baron           INTEGER CHECK (goodman_baron BETWEEN 1 AND 4),
        consent_procedure       INTEGER NOT NULL DEFAULT 0 CHECK (consent_procedure IN (0, 1)),
        photo_consent           TEXT NOT NULL DEFAULT 'none'
                                  CHECK (photo_consent IN ('none', 'record', 'teaching', 'marketing')),
        notes                   TEXT NOT NULL DEFAULT '',
        created_at              TEXT NOT NULL,
        updated_at              TEXT NOT NULL,
        deleted_at              TEXT
      );
      CREATE INDEX sessions_by_course ON sessions (course_id, performed_at) WHERE deleted_at IS NULL;
      CREATE INDEX sessions_by_date ON sessions (performed_at) WHERE deleted_at IS NULL;
      CREATE INDEX sessions_by_practitioner ON sessions (practitioner_id, performed_at);

      -- One row per treated zone: the needle depth is recorded per zone, not per session.
      CREATE TABLE session_zones (
        session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position    INTEGER NOT NULL CHECK (position >= 0),
        zone        TEXT NOT NULL,
        depth_mm    REAL NOT NULL CHECK (depth_mm BETWEEN 0.1 AND 3.0),
        PRIMARY KEY (session_id, position),
        UNIQUE (session_id, zone)
      ) WITHOUT ROWID;

      CREATE TABLE adverse_events (
        id           TEXT PRIMARY KEY,
        session_id   TEXT NOT NULL REFERENCES sessions (id),
        kind         TEXT NOT NULL,
        severity     TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
        onset_on     TEXT NOT NULL,
        resolved_on  TEXT,
        notes        TEXT NOT NULL DEFAULT '',
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted_at   TEXT
      );
      CREATE INDEX adverse_events_by_session ON adverse_events (session_id) WHERE deleted_at IS NULL;

      -- Photo metadata; the file itself lives in the photo store, named by its SHA-256.
      CREATE TABLE photos (
        id          TEXT PRIMARY KEY,
        session_id  TEXT NOT NULL REFERENCES sessions (id),
        kind        TEXT NOT NULL CHECK (kind IN ('before', 'after', 'follow_up')),
        view        TEXT NOT NULL CHECK (view IN ('frontal', 'left_oblique', 'right_oblique',
                                                  'left_lateral', 'right_lateral', 'close_up')),
        sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
        mime        TEXT NOT NULL,
        width       INTEGER NOT NULL CHECK (width > 0),
        height      INTEGER NOT NULL CHECK (height > 0),
        bytes       INTEGER NOT NULL CHECK (bytes > 0),
        taken_at    TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted_at  TEXT
      );
      CREATE INDEX photos_by_session ON photos (session_id, view) WHERE deleted_at IS NULL;
      CREATE INDEX photos_by_hash ON photos (sha256);

      -- Every write to a clinical record leaves a row here in the same transaction.
      CREATE TABLE audit_log (
        id             TEXT PRIMARY KEY,
        at             TEXT NOT NULL,
        actor_id       TEXT REFERENCES practitioners (id),
        entity         TEXT NOT NULL,
        entity_id      TEXT NOT NULL,
        action         TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
        before_json    TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
        after_json     TEXT CHECK (after_json IS NULL OR json_valid(after_json))
      );
      CREATE INDEX audit_by_entity ON audit_log (entity, entity_id, at);

      CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value_json  TEXT NOT NULL CHECK (json_valid(value_json)),
        updated_at  TEXT NOT NULL
      );
    `);
  },
};

export default migration;
