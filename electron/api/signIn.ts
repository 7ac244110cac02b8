import type { AuthStatus } from '../../contract/auth.js';
import type { Services } from '../services/index.js';
import { logSessionStep } from '../services/auth.js';
import { loadSettings } from '../services/settings.js';

/**
 * The signed-in session of one caller, kept on the main side: one per window (Electron) or per
 * launch secret (browser host). The renderer only ever learns the state, never holds a token of it.
 */
interface SignInSession {
  practitionerId: string;
  locked: boolean;
}

export interface Caller {
  session: SignInSession | null;
}

export function newCaller(): Caller {
  return { session: null };
}

/** What the sign-in, lock and header need to know about this caller. */
export function authStatus(services: Services, caller: Caller): AuthStatus {
  const session = caller.session;
  const who = session ? services.auth.who(session.practitionerId) : null;
  // A practitioner removed while signed in is signed out.
  if (session && !who) caller.session = null;
  const people = services.auth.people();
  const settings = loadSettings(services.ctx);
  return {
    state: !caller.session ? 'signedOut' : caller.session.locked ? 'locked' : 'signedIn',
    practitioner: who,
    people,
    firstRun: people.length === 0,
    managerPinNeeded: people.length > 0 && services.auth.managerPinNeeded(),
    clinicName: settings.clinicName,
    idleLockMinutes: settings.idleLockMinutes,
    demoPins: services.auth.demoPins(),
  };
}

/** Starts a session for `practitionerId`, ending (and logging the end of) anyone else's first. */
export function startSession(services: Services, caller: Caller, practitionerId: string): void {
  endSession(services, caller);
  caller.session = { practitionerId, locked: false };
  logSessionStep(services.ctx, 'sign_in', practitionerId);
}

export function endSession(services: Services, caller: Caller): void {
  const s = caller.session;
  if (!s) return;
  caller.session = null;
  if (services.auth.who(s.practitionerId)) {
    logSessionStep(services.ctx, 'sign_out', s.practitionerId);
  }
}

/** Locks the session (idle, Lock button, OS screen lock, suspend). Returns whether it was open. */
export function lockSession(services: Services, caller: Caller, reason: string): boolean {
  const s = caller.session;
  if (!s || s.locked) return false;
  s.locked = true;
  logSessionStep(services.ctx, 'lock', s.practitionerId, { reason });
  return true;
}
