import type { Migration } from './index.js';

/**
 * Photo consent per photo. Each photo keeps the consent scope its session had when it was filed
 * (record only, teaching, marketing), so a later change of the session's consent never silently
 * widens what an older photo may be used for; the scope travels with the photo row into bundles.
 * Photos filed before consent was asked get their session's scope where it had one, else NULL
 * ("no consent recorded"). A session also records when the client declined photo consent, so the
 * refusal is kept rather than looking like a question never asked.
 */
const migration: Migration = {
  version: 3,
  name: 'photo-consent',
  up(db) {
    db.exec(`
      ALTER TABLE photos ADD COLUMN consent_scope TEXT
        CHECK (consent_scope IN ('record', 'teaching', 'marketing'));
      UPDATE photos SET consent_scope = (
        SELECT s.photo_consent FROM sessions s WHERE s.id = photos.session_id AND s.photo_consent <> 'none'
      );
      ALTER TABLE sessions ADD COLUMN photo_consent_declined_at TEXT;
    `);
  },
};

export default migration;
