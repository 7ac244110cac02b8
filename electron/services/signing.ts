import crypto from 'node:crypto';
import type { z } from 'zod';
import { ById, ByCourse, type Practitioner, type Session } from '../../contract/schemas.js';
import { SignSession, type SessionSigning, type UnsignedSession } from '../../contract/signing.js';
import { AREAS } from '../../contract/domain.js';
import { newId } from '../../db/ids.js';
import { getSession, listSessionsOfCourse } from '../../db/sessions.js';
import {
  addendaOf,
  consentOverrideOf,
  insertAddendum,
  insertSignature,
  signaturesOf,
  signedRecordOf,
  unsignedSessionsOf,
} from '../../db/signing.js';
import { requireManager } from './auth.js';
import { audit, currentActor, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput } from './errors.js';
import { requireLive } from './records.js';
import { sessionStore } from './sessions.js';
import { loadSettings } from './settings.js';

/** Checks a PIN of the signed-in practitioner, counting wrong tries like sign-in (auth.verify). */
type VerifyPin = (practitionerId: string, pin: string) => Promise<Practitioner>;

/** Fields an addendum never lists: bookkeeping, not clinical content. */
const NOT_CLINICAL = new Set(['updatedAt', 'createdAt', 'deletedAt', 'number', 'id', 'courseId']);

/** The fields whose value differs between two snapshots of a session, as partial snapshots. */
function changedFields(
  before: Partial<Session> | Record<string, unknown>,
  after: Session,
  skip: ReadonlySet<string> = NOT_CLINICAL,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  const old = before as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    if (skip.has(key)) continue;
    if (JSON.stringify(old[key]) !== JSON.stringify(value)) {
      was[key] = old[key];
      now[key] = value;
    }
  }
  return { before: was, after: now };
}

/** Fields a signature's record carries that are not the session's own values. */
const NOT_RECORDED = new Set([...NOT_CLINICAL, 'practitionerName']);

/**
 * The fields of a signed session whose current value neither its signature nor any addendum
 * accounts for: `before` is the value they account for, `after` the value the session holds.
 * Null when the session is not signed or everything is accounted for.
 */
export function unaccountedChanges(
  ctx: ServiceContext,
  session: Session,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const signed = signedRecordOf(ctx.db, session.id) as Record<string, unknown> | null;
  if (!signed) return null;
  const accounted = { ...signed };
  for (const a of addendaOf(ctx.db, session.id)) Object.assign(accounted, a.changes.after);
  const gap = changedFields(accounted, session, NOT_RECORDED);
  return Object.keys(gap.after).length > 0 ? gap : null;
}

/**
 * Files an addendum for a change of a signed session; runs inside the caller's transaction,
 * after the session row holds `after`. The signed record itself is kept by its signature.
 */
export function recordAddendum(
  ctx: ServiceContext,
  before: Session,
  after: Session,
  reason: string,
  at: string,
): string {
  return fileAddendum(ctx, before.id, changedFields(before, after), reason, at);
}

/** Writes one addendum (who: the signed-in practitioner) with its audit row; returns its id. */
export function fileAddendum(
  ctx: ServiceContext,
  sessionId: string,
  changes: { before: Record<string, unknown>; after: Record<string, unknown> },
  reason: string,
  at: string,
): string {
  const actor = currentActor(ctx);
  if (!actor) throw new AppError('sign_in_required', 'Sign in first.');
  const id = newId();
  insertAddendum(ctx.db, {
    id,
    sessionId,
    authorId: actor,
    at,
    reason,
    changesJson: JSON.stringify(changes),
  });
  audit(ctx, 'session_addendum', id, 'create', null, { sessionId, reason, ...changes }, at);
  return id;
}

/** The sentence an edit of a signed session gets: what to do instead. Null: not signed. */
export function signedRefusal(
  ctx: ServiceContext,
  session: Session,
  what: 'edited' | 'deleted',
): AppError | null {
  const author = signaturesOf(ctx.db, session.id).find((s) => s.role === 'author');
  if (!author) return null;
  const signed = `Session ${session.number} was signed by ${author.practitionerName} on ${author.signedAt.slice(0, 10)}`;
  return new AppError(
    'conflict',
    what === 'edited'
      ? `${signed}, so it can no longer be edited. Add an addendum instead: make the correction and give the reason; the signed record stays as it was.`
      : `${signed}, so it cannot be deleted. If it was recorded in error, add an addendum that says so.`,
  );
}

/**
 * Signs a session as it stands now: its record JSON and SHA-256 kept with the signature, audited;
 * runs inside the caller's transaction (whoever calls it has checked who may sign).
 */
export function writeSignature(
  ctx: ServiceContext,
  sessionId: string,
  practitionerId: string,
  role: 'author' | 'cosigner',
  at: string,
): void {
  const recordJson = JSON.stringify(getSession(ctx.db, sessionId) as Session);
  const id = newId();
  const recordSha256 = crypto.createHash('sha256').update(recordJson).digest('hex');
  insertSignature(ctx.db, { id, sessionId, practitionerId, role, signedAt: at, recordJson, recordSha256 });
  audit(ctx, 'session_signature', id, 'create', null, { sessionId, role, signedAt: at, recordSha256 }, at);
}

function sessionSigning(ctx: ServiceContext, sessionId: string): SessionSigning {
  return {
    sessionId,
    signatures: signaturesOf(ctx.db, sessionId),
    addenda: addendaOf(ctx.db, sessionId),
    consentOverride: consentOverrideOf(ctx.db, sessionId),
  };
}

export function signingService(ctx: ServiceContext, verify: VerifyPin) {
  function signedIn(): string {
    const actor = currentActor(ctx);
    if (!actor) throw new AppError('sign_in_required', 'Sign in first.');
    return actor;
  }

  async function sign(
    input: z.input<typeof SignSession>,
    role: 'author' | 'cosigner',
  ): Promise<SessionSigning> {
    const { sessionId, pin } = parseInput(SignSession, input);
    const actor = signedIn();
    // Everything that can be refused without a PIN is refused first, so no PIN is spent on it.
    const check = () => {
      const session = requireLive(ctx, sessionStore, sessionId);
      const signatures = signaturesOf(ctx.db, sessionId);
      const author = signatures.find((s) => s.role === 'author');
      if (role === 'author') {
        if (author) {
          throw new AppError(
            'conflict',
            `Session ${session.number} is already signed by ${author.practitionerName}.`,
          );
        }
        if (session.practitionerId !== actor) {
          throw new AppError(
            'forbidden',
            `Only ${session.practitionerName}, who performed session ${session.number}, can sign it.`,
          );
        }
      } else {
        requireManager(ctx);
        if (!author) {
          throw new AppError(
            'conflict',
            `Session ${session.number} is not signed yet: ${session.practitionerName} signs it first, then a manager co-signs.`,
          );
        }
        if (signatures.some((s) => s.role === 'cosigner')) {
          throw new AppError('conflict', `Session ${session.number} is already co-signed.`);
        }
        if (author.practitionerId === actor) {
          throw new AppError(
            'forbidden',
            'A co-signature comes from another manager than the practitioner who signed.',
          );
        }
      }
      return session;
    };
    check();
    await verify(actor, pin);
    return inTransaction(ctx, () => {
      check();
      writeSignature(ctx, sessionId, actor, role, nowIso(ctx));
      return sessionSigning(ctx, sessionId);
    });
  }

  return {
    get(input: z.input<typeof ById>): SessionSigning {
      const { id } = parseInput(ById, input);
      requireLive(ctx, sessionStore, id);
      return sessionSigning(ctx, id);
    },

    ofCourse(input: z.input<typeof ByCourse>): SessionSigning[] {
      const { courseId } = parseInput(ByCourse, input);
      return listSessionsOfCourse(ctx.db, courseId).map((s) => sessionSigning(ctx, s.id));
    },

    /** "Sign session": by the practitioner who performed it, with their PIN. Locks the record. */
    sign: (input: z.input<typeof SignSession>) => sign(input, 'author'),

    /** The optional co-signature of a manager (medical director), after the practitioner's own. */
    cosign: (input: z.input<typeof SignSession>) => sign(input, 'cosigner'),

    /** The signed-in practitioner's sessions still unsigned after the clinic's reminder age. */
    unsigned(): { afterDays: number; items: UnsignedSession[] } {
      const actor = signedIn();
      const afterDays = loadSettings(ctx).signReminderDays;
      const before = new Date(ctx.now().getTime() - afterDays * 86_400_000).toISOString();
      const items = unsignedSessionsOf(ctx.db, actor, before).map((r) => ({
        sessionId: r.sessionId,
        courseId: r.courseId,
        number: r.number,
        performedAt: r.performedAt,
        clientName: `${r.firstName} ${r.lastName}`.trim(),
        area: AREAS[r.area as keyof typeof AREAS] ?? r.area,
      }));
      return { afterDays, items };
    },
  };
}
