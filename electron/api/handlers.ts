import type { Channel, ChannelOutput } from '../../contract/channels.js';
import type { Warning } from '../../contract/result.js';
import { Empty } from '../../contract/schemas.js';
import { parseInput } from '../services/errors.js';
import type { Services } from '../services/index.js';
import type { Jobs } from './jobs.js';

export interface Outcome<T> {
  value: T;
  warnings?: Warning[];
}

/** Services plus the host-side pieces some channels need (long-running jobs). */
export interface HandlerDeps {
  services: Services;
  jobs: Jobs;
}

export type Handler<T> = (input: unknown, deps: HandlerDeps) => Outcome<T> | Promise<Outcome<T>>;
type Handlers = { [C in Channel]: Handler<ChannelOutput<C>> };

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

  'drafts.get': call((s) => s.drafts.get),
  'drafts.save': call((s) => s.drafts.save),
  'drafts.discard': call((s) => s.drafts.discard),

  'photos.import': callAsync((s) => s.photos.import),
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

  'demo.load': (input, deps) => {
    parseInput(Empty, input);
    return { value: deps.jobs.startDemoLoad(deps.services) };
  },
};
