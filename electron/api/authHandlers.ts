import type { AuthStatus } from '../../contract/auth.js';
import { SignIn, Unlock } from '../../contract/auth.js';
import { Empty } from '../../contract/schemas.js';
import { logSessionStep } from '../services/auth.js';
import { AppError, parseInput } from '../services/errors.js';
import type { Handler } from './handlers.js';
import { authStatus, endSession, lockSession, startSession } from './signIn.js';

/** The sign-in channels (contract/auth.ts): they change the caller's session, kept by the host. */
export const authHandlers: {
  'auth.status': Handler<AuthStatus>;
  'auth.setup': Handler<AuthStatus>;
  'auth.signIn': Handler<AuthStatus>;
  'auth.setPin': Handler<AuthStatus>;
  'auth.signOut': Handler<AuthStatus>;
  'auth.lock': Handler<AuthStatus>;
  'auth.unlock': Handler<AuthStatus>;
  'auth.changePin': Handler<null>;
  'auth.resetPin': Handler<null>;
  'activity.list': Handler<ReturnType<import('../services/index.js').Services['auth']['activity']>>;
} = {
  'auth.status': (input, { services }, caller) => {
    parseInput(Empty, input);
    return { value: authStatus(services, caller) };
  },
  'auth.setup': async (input, { services }, caller) => {
    const created = await services.auth.setup(input as never);
    startSession(services, caller, created.id);
    return { value: authStatus(services, caller) };
  },
  'auth.signIn': async (input, { services }, caller) => {
    const { practitionerId, pin } = parseInput(SignIn, input);
    const person = await services.auth.verify(practitionerId, pin);
    startSession(services, caller, person.id);
    return { value: authStatus(services, caller) };
  },
  'auth.setPin': async (input, { services }, caller) => {
    const person = await services.auth.setOwnPin(input as never);
    startSession(services, caller, person.id);
    return { value: authStatus(services, caller) };
  },
  'auth.signOut': (input, { services }, caller) => {
    parseInput(Empty, input);
    endSession(services, caller);
    return { value: authStatus(services, caller) };
  },
  'auth.lock': (input, { services }, caller) => {
    parseInput(Empty, input);
    lockSession(services, caller, 'button');
    return { value: authStatus(services, caller) };
  },
  'auth.unlock': async (input, { services }, caller) => {
    const { pin } = parseInput(Unlock, input);
    const session = caller.session;
    if (!session) throw new AppError('sign_in_required', 'Nobody is signed in: sign in instead.');
    if (session.locked) {
      // Only the practitioner whose session is locked: anyone else uses "Switch practitioner".
      await services.auth.verify(session.practitionerId, pin);
      session.locked = false;
      logSessionStep(services.ctx, 'unlock', session.practitionerId);
    }
    return { value: authStatus(services, caller) };
  },
  'auth.changePin': async (input, { services }) => ({ value: await services.auth.changePin(input as never) }),
  'auth.resetPin': async (input, { services }) => ({ value: await services.auth.resetPin(input as never) }),
  'activity.list': (input, { services }) => ({ value: services.auth.activity(input as never) }),
};
