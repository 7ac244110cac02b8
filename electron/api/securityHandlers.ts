import {
  NewPassphrase,
  PassphraseChange,
  RecoveryKeyRenew,
  UnlockInput,
  type ClinicStatus,
  type SecurityStatus,
} from '../../contract/security.js';
import { Empty } from '../../contract/schemas.js';
import { AppError, parseInput } from '../services/errors.js';
import type { ClinicGate } from './clinicGate.js';
import type { Handler, HandlerDeps } from './handlers.js';

function gateOf(deps: HandlerDeps): ClinicGate {
  if (!deps.gate) throw new AppError('internal', 'This window cannot unlock the clinic.');
  return deps.gate;
}

/** The unlock and Security channels (contract/security.ts). */
export const securityHandlers: {
  'clinic.status': Handler<ClinicStatus>;
  'clinic.setup': Handler<{ recoveryKey: string }>;
  'clinic.unlock': Handler<ClinicStatus>;
  'clinic.encrypt': Handler<{ recoveryKey: string }>;
  'security.get': Handler<SecurityStatus>;
  'security.changePassphrase': Handler<SecurityStatus>;
  'security.newRecoveryKey': Handler<{ recoveryKey: string }>;
} = {
  'clinic.status': (input, deps) => {
    parseInput(Empty, input);
    return { value: gateOf(deps).status() };
  },
  'clinic.setup': (input, deps) => ({
    value: gateOf(deps).setup(parseInput(NewPassphrase, input).passphrase),
  }),
  'clinic.unlock': (input, deps) => ({ value: gateOf(deps).unlock(parseInput(UnlockInput, input).secret) }),
  'clinic.encrypt': async (input, deps) => ({
    value: await gateOf(deps).encrypt(parseInput(NewPassphrase, input).passphrase),
  }),
  'security.get': (input, deps) => {
    parseInput(Empty, input);
    return { value: gateOf(deps).security() };
  },
  'security.changePassphrase': (input, deps) => {
    const v = parseInput(PassphraseChange, input);
    return { value: gateOf(deps).changePassphrase(v.current, v.passphrase) };
  },
  'security.newRecoveryKey': (input, deps) => ({
    value: gateOf(deps).newRecoveryKey(parseInput(RecoveryKeyRenew, input).passphrase),
  }),
};
