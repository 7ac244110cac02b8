import type { Channel, ChannelInput, ChannelOutput } from '../../contract/channels.js';
import type { Warning } from '../../contract/result.js';
import { Empty } from '../../contract/schemas.js';
import { AppError, parseInput } from '../services/errors.js';
import { toSummary } from '../services/backups.js';
import type { Services } from '../services/index.js';
import type { BackupInfo, RecordCounts } from '../services/backups.js';
import type { Jobs } from './jobs.js';
import { exportHandlers } from './exportHandlers.js';
import { authHandlers } from './authHandlers.js';
import type { Caller } from './signIn.js';
import type { ClinicGate } from './clinicGate.js';
import { securityHandlers } from './securityHandlers.js';

export interface Outcome<T> {
  value: T;
  warnings?: Warning[];
}

/** Services plus the host-side pieces some channels need (long-running jobs, backup and restore). */
export interface HandlerDeps {
  services: Services;
  jobs: Jobs;
  /** Present where a host owns the database connection and can swap it (both hosts do). */
  /** How the host hands over a finished export: a download address (browser host) or "show in folder" (Electron). */
  exportsHost?: {
    downloadUrl?(jobId: string, fileName: string): string;
    reveal?(file: string): void;
  };
  backups?: {
    create(): Promise<BackupInfo>;
    restore(source: string): Promise<RecordCounts>;
  };
  /** Unlocking, setting up and encrypting the clinic, and its Security settings (both hosts). */
  gate?: ClinicGate;
  /** The open database's integrity check, run off the thread after opening (see Integrity). */
  integrity?: Integrity;
}

/**
 * A clinic opens without waiting for its integrity check (seconds for a large one), so the first
 * screen is quick: until the check is ok the connection is query-only, a channel that tries to
 * write waits for the check and runs again, and a damaged database refuses every channel with the
 * sentence that says so, before anything is written.
 */
export interface Integrity {
  state(): 'pending' | 'ok' | 'damaged';
  /** Resolves when the file is sound; rejects with the damaged-database error. */
  done: Promise<void>;
}

/** `caller` is the session of whoever called: only the sign-in channels change it. */
export type Handler<T> = (
  input: unknown,
  deps: HandlerDeps,
  caller: Caller,
) => Outcome<T> | Promise<Outcome<T>>;
type Handlers = { [C in Channel]: Handler<ChannelOutput<C>> };

function hostBackups(deps: HandlerDeps): NonNullable<HandlerDeps['backups']> {
  if (!deps.backups) throw new AppError('internal', 'Backups are not available in this window.');
  return deps.backups;
}

// Inputs arrive as `unknown` and go to the service as they came: every service method parses its
// input with the contract's schema for the channel, so there is exactly one validation path.
function call<I, T>(pick: (s: Services) => (input: I) => T): Handler<T> {
  return (input, { services }) => ({ value: pick(services)(input as I) });
}
function callSaved<I, T>(pick: (s: Services) => (input: I) => Outcome<T>): Handler<T> {
  return (input, { services }) => pick(services)(input as I);
}
function callAsync<I, T>(pick: (s: Services) => (input: I) => Promise<T>): Handler<T> {
  return async (input, { services }) => ({ value: await pick(services)(input as I) });
}
function callNoInput<T>(pick: (s: Services) => () => T): Handler<T> {
  return (input, { services }) => {
    parseInput(Empty, input);
    return { value: pick(services)() };
  };
}

/** One handler per contract channel; both hosts register exactly this map. */
export const handlers: Handlers = {
  ...authHandlers,

  'practitioners.list': callNoInput((s) => s.practitioners.list),
  'practitioners.create': call((s) => s.practitioners.create),
  'practitioners.update': call((s) => s.practitioners.update),
  'practitioners.delete': call((s) => s.practitioners.delete),

  'clients.list': call((s) => s.clients.list),
  'clients.get': call((s) => s.clients.get),
  'clients.create': call((s) => s.clients.create),
  'clients.update': call((s) => s.clients.update),
  'clients.delete': call((s) => s.clients.delete),
  'clients.restore': call((s) => s.clients.restore),

  'courses.list': call((s) => s.courses.list),
  'courses.get': call((s) => s.courses.get),
  'courses.create': call((s) => s.courses.create),
  'courses.update': call((s) => s.courses.update),
  'courses.setStatus': call((s) => s.courses.setStatus),
  'courses.delete': call((s) => s.courses.delete),
  'courses.restore': call((s) => s.courses.restore),

  'sessions.list': call((s) => s.sessions.list),
  'sessions.get': call((s) => s.sessions.get),
  'sessions.create': callSaved((s) => s.sessions.create),
  'sessions.update': callSaved((s) => s.sessions.update),
  'sessions.delete': call((s) => s.sessions.delete),
  'sessions.restore': call((s) => s.sessions.restore),

  'signing.get': call((s) => s.signing.get),
  'signing.ofCourse': call((s) => s.signing.ofCourse),
  'signing.sign': callAsync((s) => s.signing.sign),
  'signing.cosign': callAsync((s) => s.signing.cosign),
  'signing.amend': callSaved((s) => s.sessions.amend),
  'signing.unsigned': callNoInput((s) => s.signing.unsigned),
  'consents.ofCourse': call((s) => s.consents.ofCourse),
  'consents.sign': call((s) => s.consents.sign),

  'drafts.get': call((s) => s.drafts.get),
  'drafts.save': call((s) => s.drafts.save),
  'drafts.discard': call((s) => s.drafts.discard),

  'photos.import': callAsync((s) => s.photos.import),
  'photos.consent': call((s) => s.photos.consent),
  'photos.list': call((s) => s.photos.list),
  'photos.delete': call((s) => s.photos.delete),
  'photos.restore': call((s) => s.photos.restore),

  'adverseEvents.list': call((s) => s.adverseEvents.list),
  'adverseEvents.create': call((s) => s.adverseEvents.create),
  'adverseEvents.update': call((s) => s.adverseEvents.update),
  'adverseEvents.delete': call((s) => s.adverseEvents.delete),
  'adverseEvents.restore': call((s) => s.adverseEvents.restore),

  'settings.get': callNoInput((s) => s.settings.get),
  'settings.update': call((s) => s.settings.update),

  'audit.list': call((s) => s.audit.list),

  'lots.recent': call((s) => s.lots.recent),
  'lots.recall': call((s) => s.lots.recall),
  'lots.exportRecall': (input, deps) => ({
    value: deps.jobs.exports.startLotRecall(
      deps.services.ctx,
      deps.services.lots.recall(input as ChannelInput<'lots.exportRecall'>),
    ),
  }),

  'courses.progress': call((s) => s.progress.get),
  'overview.get': call((s) => s.overview.get),
  'overview.clients': call((s) => s.overview.clients),

  'backups.list': callNoInput((s) => s.backups.list),
  'backups.create': async (input, deps) => {
    parseInput(Empty, input);
    return { value: toSummary(await hostBackups(deps).create()) };
  },
  'backups.restore': async (input, deps) => {
    const file = deps.services.backups.fileOf(input as ChannelInput<'backups.restore'>);
    return { value: await hostBackups(deps).restore(file) };
  },
  'backups.toFolder': (input, deps) => {
    const folder = deps.services.backups.checkFolder(input as ChannelInput<'backups.toFolder'>);
    return { value: deps.jobs.startBackupToFolder(deps.services, folder) };
  },

  ...exportHandlers,
  ...securityHandlers,

  'sync.status': callNoInput((s) => s.sync.status),
  'sync.pair': callAsync((s) => s.sync.pair),
  'sync.now': async (input, { services }) => {
    parseInput(Empty, input);
    return { value: await services.sync.now() };
  },
  'sync.relay': callNoInput((s) => s.relayHere.status),
  'sync.relayStart': callAsync((s) => s.relayHere.start),
  'sync.relayStop': async (input, { services }) => {
    parseInput(Empty, input);
    return { value: await services.relayHere.stop() };
  },
  'sync.relayCode': callNoInput((s) => s.relayHere.code),
  'sync.relayRevoke': call((s) => s.relayHere.revoke),

  'demo.load': (input, deps) => {
    parseInput(Empty, input);
    return { value: deps.jobs.startDemoLoad(deps.services) };
  },
};
