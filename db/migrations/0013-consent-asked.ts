import { v7 } from 'uuid';
import type { Migration } from './index.js';

/**
 * Signed consent is asked for by default (issue 16): a session on a course without signed consent
 * on file is logged only with the reason why. The clinic setting came off by default, and saving
 * Settings → Consent form stored whatever the box showed, so a stored "off" is no sign that the
 * clinic chose it. Every clinic therefore gets the safe rule; one that wants it off turns it off
 * again in Settings → Consent form. A clinic that never stored it follows the new default already.
 * The change is in the activity log, by nobody (NeedleLog's update), with before and after.
 */
const migration: Migration = {
  version: 13,
  name: 'consent-asked',
  up(db) {
    const stored = db
      .prepare(`SELECT value_json AS v FROM settings WHERE key = 'requireSignedConsent'`)
      .pluck()
      .get() as string | undefined;
    if (stored === undefined || JSON.parse(stored) === true) return;
    const at = new Date().toISOString();
    db.prepare(
      `UPDATE settings SET value_json = 'true', updated_at = ? WHERE key = 'requireSignedConsent'`,
    ).run(at);
    db.prepare(
      `INSERT INTO audit_log (id, at, actor_id, entity, entity_id, action, before_json, after_json)
       VALUES (?, ?, NULL, 'settings', 'settings', 'update', ?, ?)`,
    ).run(
      v7(),
      at,
      JSON.stringify({ requireSignedConsent: false }),
      JSON.stringify({ requireSignedConsent: true }),
    );
  },
};

export default migration;
