import { channelAccess, isChannel, type Channel } from '../../contract/channels.js';
import type { ApiError, Reply } from '../../contract/result.js';
import { MANAGER_ONLY } from '../services/auth.js';
import { asActor } from '../services/context.js';
import { AppError, isConstraintError } from '../services/errors.js';
import { isDamageCode } from '../../db/connection.js';
import { handlers, type HandlerDeps } from './handlers.js';
import type { Caller } from './signIn.js';
import { LOCKED_MESSAGE } from './clinicGate.js';

export type Logger = (message: string, err?: unknown) => void;

const NOT_SIGNED_IN: ApiError = {
  code: 'sign_in_required',
  message: 'Sign in first: nobody is signed in to NeedleLog.',
};
const LOCKED: ApiError = {
  code: 'sign_in_required',
  message: 'NeedleLog is locked. Unlock it with your PIN.',
};

/**
 * Whether this caller may use `channel` (contract/channels.ts, `channelAccess`), and as whom:
 * the actor is the live practitioner of the caller's session, never anything in the request.
 */
export function admit(
  deps: HandlerDeps,
  channel: Channel,
  caller: Caller,
): { actorId: string | null } | { refused: ApiError } {
  const access = channelAccess[channel];
  // Unlocking comes first: a locked clinic has nobody to sign in as, so it says "unlock" first.
  if (access !== 'public' && deps.gate && !deps.gate.isOpen()) {
    return { refused: { code: 'locked', message: LOCKED_MESSAGE } };
  }
  const session = caller.session;
  const who = session ? deps.services.auth.who(session.practitionerId) : null;
  if (session && !who) caller.session = null; // removed while signed in
  const open = who && session && !session.locked ? who : null;
  if (access === 'public') return { actorId: open?.id ?? null };
  if (access === 'firstRun' && deps.services.auth.people().length === 0) return { actorId: null };
  if (!open) return { refused: session && who ? LOCKED : NOT_SIGNED_IN };
  if ((access === 'manager' || access === 'firstRun') && open.role !== 'manager') {
    return { refused: { code: 'forbidden', message: MANAGER_ONLY } };
  }
  return { actorId: open.id };
}

/**
 * Channels that wait for the integrity check before they run: those that start work running on
 * after their reply (jobs) or swap the database file, and those that reach beyond it before they
 * write (sync: the relay, a one-time pairing code, a relay server started here), which could not
 * simply be run again once a query-only write of theirs is refused.
 */
const STARTS_WORK: ReadonlySet<Channel> = new Set([
  'demo.load',
  'backups.create',
  'backups.restore',
  'backups.toFolder',
  'exports.start',
  'exports.import',
  'lots.exportRecall',
  'sync.now',
  'sync.pair',
  'sync.relayStart',
  'sync.relayStop',
]);

/**
 * The one entry point both hosts call: channel name and raw input in, a serialisable reply out,
 * for the caller whose session the host keeps. It never throws: a failing handler becomes an
 * `internal` reply and is logged, so one bad request cannot take a host down.
 */
export async function dispatch(
  deps: HandlerDeps,
  channel: string,
  input: unknown,
  log: Logger,
  caller: Caller,
): Promise<Reply<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `There is no API channel "${channel}".` },
    };
  }
  try {
    const integrity = deps.integrity;
    // A damaged clinic answers every channel with the sentence that says so; work that goes on
    // after the call (a job) starts only on a checked clinic.
    if (integrity && (integrity.state() === 'damaged' || STARTS_WORK.has(channel))) await integrity.done;
    const run = async () => {
      const admitted = admit(deps, channel, caller);
      if ('refused' in admitted) return { refused: admitted.refused };
      return asActor(admitted.actorId, () => handlers[channel](input, deps, caller));
    };
    const outcome = await run().catch(async (err: unknown) => {
      // Before the check is ok the connection is query-only: a write waits for the check and runs
      // again (nothing of it was written), and damage met early gets the check's sentence.
      const code = err instanceof Error && 'code' in err ? String(err.code) : '';
      if (!integrity || !(code === 'SQLITE_READONLY' || isDamageCode(code))) throw err;
      await integrity.done;
      if (code !== 'SQLITE_READONLY') throw err;
      return run();
    });
    if ('refused' in outcome) return { ok: false, error: outcome.refused };
    return outcome.warnings && outcome.warnings.length > 0
      ? { ok: true, value: outcome.value, warnings: outcome.warnings }
      : { ok: true, value: outcome.value };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toApiError() };
    if (isConstraintError(err)) {
      log(`constraint failure on ${channel}`, err);
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'That change conflicts with a saved record and was not made.',
        },
      };
    }
    log(`handler for ${channel} failed`, err);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: 'Something went wrong on our side. Nothing was changed; please try again.',
      },
    };
  }
}
