import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatedClinic } from '../api/clinicGate.js';
import type { Logger } from '../api/dispatch.js';
import type { Caller } from '../api/signIn.js';

/** What the routes of one browser host share: its secret, its clinic, its one signed-in caller. */
export interface HostContext {
  secret: string;
  clinic: GatedClinic;
  caller: Caller;
  log: Logger;
  /** The Vite build output (out/renderer). */
  rendererDir: string;
  /** Open event streams, ended when the host closes. */
  eventStreams: Set<ServerResponse>;
  /** Requests whose end is normal or already reported (aborted ones, event streams): not logged again. */
  quiet: WeakSet<IncomingMessage>;
}

/** One request as a route sees it: the path and query split apart (queries carry tokens and signatures). */
export interface RouteRequest {
  req: IncomingMessage;
  path: string;
  query: URLSearchParams;
  method: string;
}
