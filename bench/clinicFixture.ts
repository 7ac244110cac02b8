import { SessionInput } from '../contract/schemas.js';
import { insertClient } from '../db/clients.js';
import type { Db } from '../db/connection.js';
import { insertCourse } from '../db/courses.js';
import { newId } from '../db/ids.js';
import { insertSession } from '../db/sessions.js';
import { DEFAULT_CONSENT_TEMPLATE } from '../contract/signing.js';
import { insertConsent } from '../db/signing.js';
import { demoConsent, type DemoPlan } from '../electron/services/demo.js';

/** The median, 95th percentile or any other of a list of timings. */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Writes a demo plan's clients, courses and sessions (validated, with zones and the search index)
 * with each course's signed consent, through the same db/ insert functions the app uses, one transaction per 500 clients: a clinic of
 * 10,000 clients in seconds. Returns the number of rows written.
 */
export function bulkLoadClinic(db: Db, plan: DemoPlan, practitionerIds: readonly string[]): number {
  let n = 0;
  const at = new Date().toISOString();
  const stamp = { createdAt: at, updatedAt: at, deletedAt: null };
  const batch = db.transaction((clients: DemoPlan['clients']) => {
    for (const entry of clients) {
      const clientId = newId();
      insertClient(db, {
        id: clientId,
        firstName: entry.client.firstName,
        lastName: entry.client.lastName ?? '',
        dateOfBirth: entry.client.dateOfBirth ?? null,
        phone: entry.client.phone ?? '',
        email: '',
        fitzpatrick: entry.client.fitzpatrick ?? null,
        contraindications: entry.client.contraindications ?? [],
        contraindicationNotes: '',
        notes: '',
        ...stamp,
      });
      n++;
      for (const { sessions, completed, ...course } of entry.courses) {
        const courseId = newId();
        insertCourse(db, {
          id: courseId,
          clientId,
          ...course,
          notes: '',
          status: completed ? 'completed' : 'active',
          ...stamp,
        });
        n++;
        // Signed consent on file, as the session save path expects by default.
        insertConsent(db, {
          id: newId(),
          courseId,
          templateVersion: DEFAULT_CONSENT_TEMPLATE.version,
          title: DEFAULT_CONSENT_TEMPLATE.title,
          body: DEFAULT_CONSENT_TEMPLATE.body,
          ...demoConsent(plan, practitionerIds, entry, course.startedOn, sessions),
        });
        n++;
        for (const { practitioner, ...s } of sessions) {
          const data = SessionInput.parse({ ...s, courseId, practitionerId: practitionerIds[practitioner] });
          insertSession(db, { id: newId(), ...data, photoConsentDeclinedAt: null, ...stamp });
          n += 1 + data.zones.length;
        }
      }
    }
  });
  for (let i = 0; i < plan.clients.length; i += 500) batch(plan.clients.slice(i, i + 500));
  return n;
}

/** The plan's practitioners, then everything else through bulkLoadClinic; the rows written and the practitioners' ids. */
export function bulkLoadWithPractitioners(
  db: Db,
  plan: DemoPlan,
): { rows: number; practitionerIds: string[] } {
  const at = new Date().toISOString();
  const practitionerIds = plan.practitioners.map((p) => {
    const id = newId();
    db.prepare(
      `INSERT INTO practitioners (id, name, credentials, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(id, p.name, p.credentials ?? '', p.role ?? 'practitioner', at, at);
    return id;
  });
  return { rows: practitionerIds.length + bulkLoadClinic(db, plan, practitionerIds), practitionerIds };
}
