import type { Addendum, ConsentSignature, CourseConsent, Signature } from '../contract/signing.js';
import type { Db } from './connection.js';
import { SESSION_NUMBER } from './sessions.js';
import { stmt } from './statements.js';

/*
 * Signatures, addenda, signed consents and consent overrides: written once, read often, never
 * changed (the schema's triggers refuse an UPDATE or DELETE).
 */

interface SignatureWrite {
  id: string;
  sessionId: string;
  practitionerId: string;
  role: Signature['role'];
  signedAt: string;
  recordJson: string;
  recordSha256: string;
}

export function insertSignature(db: Db, s: SignatureWrite): void {
  stmt(
    db,
    `INSERT INTO session_signatures (id, session_id, practitioner_id, role, signed_at, record_json, record_sha256)
     VALUES (@id, @sessionId, @practitionerId, @role, @signedAt, @recordJson, @recordSha256)`,
  ).run(s);
}

const SIGNATURES = `SELECT g.id, g.session_id AS sessionId, g.role, g.practitioner_id AS practitionerId,
  p.name AS practitionerName, g.signed_at AS signedAt, g.record_sha256 AS recordSha256
  FROM session_signatures g JOIN practitioners p ON p.id = g.practitioner_id`;

export function signaturesOf(db: Db, sessionId: string): Signature[] {
  return stmt(db, `${SIGNATURES} WHERE g.session_id = ? ORDER BY g.role = 'cosigner', g.signed_at`).all(
    sessionId,
  ) as Signature[];
}

/** The session as it was signed by its author (null: not signed). */
export function signedRecordOf(db: Db, sessionId: string): unknown {
  const row = stmt(
    db,
    `SELECT record_json AS json FROM session_signatures WHERE session_id = ? AND role = 'author'`,
  ).get(sessionId) as { json: string } | undefined;
  return row ? (JSON.parse(row.json) as unknown) : null;
}

export function isSigned(db: Db, sessionId: string): boolean {
  return (
    stmt(db, `SELECT 1 FROM session_signatures WHERE session_id = ? AND role = 'author'`).get(sessionId) !==
    undefined
  );
}

export function insertAddendum(
  db: Db,
  a: Omit<Addendum, 'authorName' | 'changes'> & { changesJson: string },
): void {
  stmt(
    db,
    `INSERT INTO session_addenda (id, session_id, author_id, at, reason, changes_json)
     VALUES (@id, @sessionId, @authorId, @at, @reason, @changesJson)`,
  ).run(a);
}

export function addendaOf(db: Db, sessionId: string): Addendum[] {
  const rows = stmt(
    db,
    `SELECT a.id, a.session_id AS sessionId, a.author_id AS authorId, p.name AS authorName, a.at, a.reason,
       a.changes_json AS changesJson
     FROM session_addenda a JOIN practitioners p ON p.id = a.author_id
     WHERE a.session_id = ? ORDER BY a.at, a.id`,
  ).all(sessionId) as (Omit<Addendum, 'changes'> & { changesJson: string })[];
  return rows.map(({ changesJson, ...r }) => ({
    ...r,
    changes: JSON.parse(changesJson) as Addendum['changes'],
  }));
}

export function insertConsentOverride(
  db: Db,
  o: { id: string; sessionId: string; actorId: string | null; at: string; reason: string },
): void {
  stmt(
    db,
    `INSERT INTO consent_overrides (id, session_id, actor_id, at, reason) VALUES (@id, @sessionId, @actorId, @at, @reason)`,
  ).run(o);
}

export function consentOverrideOf(
  db: Db,
  sessionId: string,
): { reason: string; at: string; actorName: string } | null {
  const row = stmt(
    db,
    `SELECT o.reason, o.at, coalesce(p.name, '') AS actorName FROM consent_overrides o
     LEFT JOIN practitioners p ON p.id = o.actor_id WHERE o.session_id = ?`,
  ).get(sessionId) as { reason: string; at: string; actorName: string } | undefined;
  return row ?? null;
}

/** Live sessions of `practitionerId` performed before `before` that their author has not signed. */
export function unsignedSessionsOf(
  db: Db,
  practitionerId: string,
  before: string,
): {
  sessionId: string;
  courseId: string;
  number: number;
  performedAt: string;
  firstName: string;
  lastName: string;
  area: string;
}[] {
  return stmt(
    db,
    // The number in the query: reading each of up to 200 sessions whole for it took longer than the
    // rest of the first screen's reads together.
    `SELECT s.id AS sessionId, s.course_id AS courseId, ${SESSION_NUMBER} AS number, s.performed_at AS performedAt,
       c.first_name AS firstName, c.last_name AS lastName, k.area
     FROM sessions s JOIN courses k ON k.id = s.course_id JOIN clients c ON c.id = k.client_id
     WHERE s.practitioner_id = ? AND s.performed_at < ? AND s.deleted_at IS NULL AND k.deleted_at IS NULL
       AND c.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM session_signatures g WHERE g.session_id = s.id AND g.role = 'author')
     ORDER BY s.performed_at LIMIT 200`,
  ).all(practitionerId, before) as {
    sessionId: string;
    courseId: string;
    number: number;
    performedAt: string;
    firstName: string;
    lastName: string;
    area: string;
  }[];
}

// ---------- consent ----------
export interface ConsentWrite extends Omit<
  CourseConsent,
  'practitionerName' | 'clientSignature' | 'practitionerSignature'
> {
  clientSignature: ConsentSignature;
  practitionerSignature: ConsentSignature;
}

export function insertConsent(db: Db, c: ConsentWrite): void {
  stmt(
    db,
    `INSERT INTO course_consents (id, course_id, template_version, title, body, photo_scope, client_name,
       client_signature_json, practitioner_id, practitioner_signature_json, signed_at)
     VALUES (@id, @courseId, @templateVersion, @title, @body, @photoScope, @clientName,
       @clientSignatureJson, @practitionerId, @practitionerSignatureJson, @signedAt)`,
  ).run({
    id: c.id,
    courseId: c.courseId,
    templateVersion: c.templateVersion,
    title: c.title,
    body: c.body,
    photoScope: c.photoScope,
    clientName: c.clientName,
    clientSignatureJson: JSON.stringify(c.clientSignature),
    practitionerId: c.practitionerId,
    practitionerSignatureJson: JSON.stringify(c.practitionerSignature),
    signedAt: c.signedAt,
  });
}

/** The signed consents of a course, newest first. */
export function consentsOf(db: Db, courseId: string): CourseConsent[] {
  const rows = stmt(
    db,
    `SELECT k.id, k.course_id AS courseId, k.template_version AS templateVersion, k.title, k.body,
       k.photo_scope AS photoScope, k.client_name AS clientName, k.client_signature_json AS clientJson,
       k.practitioner_id AS practitionerId, p.name AS practitionerName,
       k.practitioner_signature_json AS practitionerJson, k.signed_at AS signedAt
     FROM course_consents k JOIN practitioners p ON p.id = k.practitioner_id
     WHERE k.course_id = ? ORDER BY k.signed_at DESC, k.id DESC`,
  ).all(courseId) as (Omit<CourseConsent, 'clientSignature' | 'practitionerSignature'> & {
    clientJson: string;
    practitionerJson: string;
  })[];
  return rows.map(({ clientJson, practitionerJson, ...r }) => ({
    ...r,
    clientSignature: JSON.parse(clientJson) as ConsentSignature,
    practitionerSignature: JSON.parse(practitionerJson) as ConsentSignature,
  }));
}

export function hasConsent(db: Db, courseId: string): boolean {
  return stmt(db, `SELECT 1 FROM course_consents WHERE course_id = ? LIMIT 1`).get(courseId) !== undefined;
}
