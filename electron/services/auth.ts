import type { z } from 'zod';
import {
  ActivityQuery,
  ChangePin,
  ResetPin,
  SetOwnPin,
  Setup,
  type ActivityAction,
  type ActivityEntry,
  type Role,
  type SignInPerson,
} from '../../contract/auth.js';
import { PIN_FREE_TRIES, PIN_WAITS_SECONDS } from '../../contract/domain.js';
import type { Practitioner } from '../../contract/schemas.js';
import {
  insertAccess,
  insertAccessWhenWritable,
  listActivity,
  loggedSince,
  type AccessAction,
} from '../../db/accessLog.js';
import { listPractitioners, getPractitioner } from '../../db/practitioners.js';
import {
  allWaits,
  clearAttempts,
  getAttempts,
  getPin,
  practitionersWithPin,
  putAttempts,
  putPin,
} from '../../db/pins.js';
import { readSettings, writeSetting } from '../../db/settings.js';
import { asActor, currentActor, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput } from './errors.js';
import { hashPin, pinMatches } from './pinHash.js';
import { practitionerStore } from './practitioners.js';
import { createRecord } from './records.js';

export const MANAGER_ONLY = 'A manager must do this. Ask a manager to sign in and do it.';

/** The settings key that marks the demo clinic, whose sign-in screen shows its made-up PINs. */
export const DEMO_PINS_KEY = 'demoPins';

/** The live practitioner `id`, or a not-found error next to the name field. */
function livePractitioner(ctx: ServiceContext, id: string): Practitioner {
  const p = getPractitioner(ctx.db, id);
  if (!p || p.deletedAt !== null) {
    throw new AppError('not_found', 'That practitioner is not on the list.', 'practitionerId');
  }
  return p;
}

/** Whose turn it is to wait, and how long, after `failures` wrong PINs in a row. */
function waitAfter(failures: number): number {
  if (failures < PIN_FREE_TRIES) return 0;
  const i = Math.min(failures - PIN_FREE_TRIES, PIN_WAITS_SECONDS.length - 1);
  return PIN_WAITS_SECONDS[i] as number;
}

function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** The signed-in practitioner's role, or null when nobody (or someone since removed) acts. */
function actorRole(ctx: ServiceContext): Role | null {
  const id = currentActor(ctx);
  const p = id ? getPractitioner(ctx.db, id) : undefined;
  return p && p.deletedAt === null ? p.role : null;
}

/** For the few checks that depend on the input (a clinic-wide export): refuses a non-manager. */
export function requireManager(ctx: ServiceContext): void {
  if (actorRole(ctx) !== 'manager') throw new AppError('forbidden', MANAGER_ONLY);
}

/** Writes one access-log row (sign-in, lock, export, photos opened) as `actorId`. */
export function logAccess(
  ctx: ServiceContext,
  action: AccessAction,
  entity: string,
  entityId: string,
  detail?: unknown,
  actorId: string | null = currentActor(ctx),
): void {
  insertAccess(ctx.db, { at: nowIso(ctx), actorId, action, entity, entityId, detail });
}

/**
 * The same for the rows of a session's own steps (sign-in, sign-out, lock, unlock), which write
 * nothing else: while the integrity check of a just-opened clinic runs, the row is held and written,
 * in its place, the moment the check is ok (clinic.ts), so signing in does not wait for the check.
 */
export function logSessionStep(
  ctx: ServiceContext,
  action: 'sign_in' | 'sign_out' | 'lock' | 'unlock',
  practitionerId: string,
  detail?: unknown,
): void {
  insertAccessWhenWritable(ctx.db, {
    at: nowIso(ctx),
    actorId: practitionerId,
    action,
    entity: 'practitioner',
    entityId: practitionerId,
    detail,
  });
}

/**
 * Logs that the signed-in practitioner opened the photos of `courseId`: once per course and
 * person in ten minutes, so a page that reads its photos again does not fill the log.
 */
export function logPhotosOpened(ctx: ServiceContext, courseId: string): void {
  const actorId = currentActor(ctx);
  const since = new Date(ctx.now().getTime() - 10 * 60_000).toISOString();
  const what = { actorId, action: 'view_photos' as const, entity: 'course', entityId: courseId };
  if (!loggedSince(ctx.db, what, since)) logAccess(ctx, 'view_photos', 'course', courseId);
}

const SUMMARIES: Record<ActivityAction, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  restore: 'Restored',
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  lock: 'Locked the screen',
  unlock: 'Unlocked the screen',
  sign_in_failed: 'Wrong PIN',
  sign_in_wait: 'Too many wrong PINs: sign-in paused',
  pin_set: 'Set a PIN',
  pin_reset: 'Reset the PIN of',
  export: 'Exported',
  view_photos: 'Opened the photos of a course',
};

/** The activity log's words for the signed records (each is only ever created). */
const SIGNED_SUMMARIES: Record<string, string> = {
  session_signature: 'Signed a session',
  session_addendum: 'Added an addendum to a signed session',
  course_consent: 'Recorded a signed consent form',
  consent_override: 'Logged a session without signed consent',
};

export function authService(ctx: ServiceContext) {
  // PIN checks run one at a time: parallel guesses cannot slip past the wrong-PIN counter, and
  // scrypt's memory is used by one check only.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  function managerPinNeeded(): boolean {
    const withPin = practitionersWithPin(ctx.db);
    return !listPractitioners(ctx.db).some((p) => p.role === 'manager' && withPin.has(p.id));
  }

  /**
   * Checks a PIN. After PIN_FREE_TRIES wrong ones in a row each further try waits longer; the
   * wait is stored, so restarting does not reset it. Wrong tries and waits are logged.
   */
  function verify(practitionerId: string, pin: string): Promise<Practitioner> {
    return oneAtATime(async () => {
      const person = livePractitioner(ctx, practitionerId);
      const attempts = getAttempts(ctx.db, person.id);
      const now = ctx.now();
      if (attempts.waitUntil !== null && attempts.waitUntil > now.toISOString()) {
        const seconds = Math.ceil((Date.parse(attempts.waitUntil) - now.getTime()) / 1000);
        throw new AppError('forbidden', `Too many wrong PINs. Try again in ${inWords(seconds)}.`, 'pin');
      }
      const stored = getPin(ctx.db, person.id);
      if (!stored) {
        throw new AppError('conflict', `${person.name} has no PIN yet: choose one to sign in.`, 'pin');
      }
      if (await pinMatches(pin, stored)) {
        if (attempts.failures > 0) clearAttempts(ctx.db, person.id);
        return person;
      }
      const failures = attempts.failures + 1;
      const wait = waitAfter(failures);
      const at = nowIso(ctx);
      const waitUntil = wait > 0 ? new Date(ctx.now().getTime() + wait * 1000).toISOString() : null;
      inTransaction(ctx, () => {
        putAttempts(ctx.db, person.id, { failures, waitUntil }, at);
        // The wrong try is logged against the person whose PIN it was tried on.
        logAccess(ctx, 'sign_in_failed', 'practitioner', person.id, { failures }, person.id);
        if (waitUntil) {
          logAccess(ctx, 'sign_in_wait', 'practitioner', person.id, { failures, waitUntil }, person.id);
        }
      });
      const left = PIN_FREE_TRIES - failures;
      throw new AppError(
        'invalid_input',
        waitUntil
          ? `That PIN is not right. Too many wrong PINs: try again in ${inWords(wait)}.`
          : `That PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before a wait.`,
        'pin',
      );
    });
  }

  return {
    /** The names on the sign-in screen, with who has a PIN and who must wait. */
    people(): SignInPerson[] {
      const withPin = practitionersWithPin(ctx.db);
      const waits = allWaits(ctx.db);
      const now = nowIso(ctx);
      return listPractitioners(ctx.db).map((p) => {
        const wait = waits.get(p.id) ?? null;
        return {
          id: p.id,
          name: p.name,
          credentials: p.credentials,
          role: p.role,
          hasPin: withPin.has(p.id),
          waitUntil: wait !== null && wait > now ? wait : null,
        };
      });
    },

    managerPinNeeded,

    demoPins(): { name: string; pin: string }[] | null {
      const value = readSettings(ctx.db).get(DEMO_PINS_KEY);
      return Array.isArray(value) ? (value as { name: string; pin: string }[]) : null;
    },

    /** The live practitioner and role behind a session, or null if they were removed since. */
    who(id: string): { id: string; name: string; role: Role } | null {
      const p = getPractitioner(ctx.db, id);
      return p && p.deletedAt === null ? { id: p.id, name: p.name, role: p.role } : null;
    },

    /** First run: the clinic's name and its first practitioner, a manager with a PIN. */
    async setup(input: z.input<typeof Setup>): Promise<Practitioner> {
      const data = parseInput(Setup, input);
      const pin = await hashPin(data.pin);
      return inTransaction(ctx, () => {
        if (listPractitioners(ctx.db).length > 0) {
          throw new AppError('conflict', 'This clinic is already set up. Sign in instead.');
        }
        const created = asActor(null, () =>
          createRecord(ctx, practitionerStore, {
            name: data.name,
            credentials: data.credentials,
            role: 'manager' as const,
          }),
        );
        const at = nowIso(ctx);
        writeSetting(ctx.db, 'clinicName', data.clinicName, at);
        putPin(ctx.db, created.id, pin, at);
        logAccess(ctx, 'pin_set', 'practitioner', created.id, undefined, created.id);
        return created;
      });
    },

    verify,

    /** First sign-in of someone without a PIN: sets it. While no manager has one, a manager goes first. */
    async setOwnPin(input: z.input<typeof SetOwnPin>): Promise<Practitioner> {
      const { practitionerId, pin } = parseInput(SetOwnPin, input);
      const person = livePractitioner(ctx, practitionerId);
      if (getPin(ctx.db, person.id)) {
        throw new AppError('conflict', `${person.name} already has a PIN: sign in with it.`, 'pin');
      }
      if (person.role !== 'manager' && managerPinNeeded()) {
        throw new AppError(
          'forbidden',
          'A manager signs in first and sets their PIN; then everyone else can set theirs.',
          'practitionerId',
        );
      }
      const hashed = await hashPin(pin);
      inTransaction(ctx, () => {
        if (getPin(ctx.db, person.id)) {
          throw new AppError('conflict', `${person.name} already has a PIN: sign in with it.`, 'pin');
        }
        putPin(ctx.db, person.id, hashed, nowIso(ctx));
        logAccess(ctx, 'pin_set', 'practitioner', person.id, undefined, person.id);
      });
      return person;
    },

    /** The signed-in practitioner changes their own PIN. */
    async changePin(input: z.input<typeof ChangePin>): Promise<null> {
      const { currentPin, pin } = parseInput(ChangePin, input);
      const id = currentActor(ctx);
      if (!id) throw new AppError('sign_in_required', 'Sign in first.');
      try {
        await verify(id, currentPin);
      } catch (err) {
        if (err instanceof AppError && err.field === 'pin')
          throw new AppError(err.code, err.message, 'currentPin');
        throw err;
      }
      const hashed = await hashPin(pin);
      inTransaction(ctx, () => {
        putPin(ctx.db, id, hashed, nowIso(ctx));
        logAccess(ctx, 'pin_set', 'practitioner', id);
      });
      return null;
    },

    /** A manager gives someone a new PIN (they forgot theirs); any wait is lifted. */
    async resetPin(input: z.input<typeof ResetPin>): Promise<null> {
      requireManager(ctx);
      const { id, pin } = parseInput(ResetPin, input);
      const person = livePractitioner(ctx, id);
      const hashed = await hashPin(pin);
      inTransaction(ctx, () => {
        putPin(ctx.db, person.id, hashed, nowIso(ctx));
        clearAttempts(ctx.db, person.id);
        logAccess(ctx, 'pin_reset', 'practitioner', person.id);
      });
      return null;
    },

    /** Settings → Activity log: record changes and access, newest first, filtered. */
    activity(input: z.input<typeof ActivityQuery>): { items: ActivityEntry[]; total: number } {
      const q = parseInput(ActivityQuery, input);
      // Dates are the practitioner's calendar days on this machine.
      const dayStart = (d: string) => new Date(`${d}T00:00:00`).toISOString();
      const nextDay = (d: string) => {
        const t = new Date(`${d}T00:00:00`);
        t.setDate(t.getDate() + 1);
        return t.toISOString();
      };
      const { rows, total } = listActivity(ctx.db, {
        actorId: q.actorId,
        kind: q.kind,
        fromAt: q.from ? dayStart(q.from) : null,
        toAt: q.to ? nextDay(q.to) : null,
        limit: q.limit,
        offset: q.offset,
      });
      const names = new Map(listPractitioners(ctx.db).map((p) => [p.id, p.name]));
      const items = rows.map(({ detailJson, ...r }) => {
        const detail = detailJson ? (JSON.parse(detailJson) as Record<string, unknown>) : {};
        let summary = SUMMARIES[r.action];
        if (
          r.entity === 'practitioner' &&
          (r.action === 'pin_reset' || r.action === 'create' || r.action === 'update')
        ) {
          summary = `${summary} ${r.action === 'pin_reset' ? '' : 'practitioner '}${names.get(r.entityId) ?? 'a practitioner'}`;
        } else if (r.action === 'export') {
          summary = `Exported ${String(detail.format ?? '').toUpperCase()}: ${String(detail.what ?? '')}`;
        } else if (r.action === 'create' && r.entity in SIGNED_SUMMARIES) {
          summary = SIGNED_SUMMARIES[r.entity] as string;
        } else if (['create', 'update', 'delete', 'restore'].includes(r.action)) {
          summary = `${summary} ${r.entity.replace('_', ' ')}`;
        } else if (r.action === 'sign_in_failed') {
          summary = `Wrong PIN (${String(detail.failures ?? 1)} in a row)`;
        }
        return { ...r, summary };
      });
      return { items, total };
    },
  };
}
