import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requireLoopbackOrigin, requireSameSite } from './auth.js';
import type { HostContext, RouteRequest } from './hostContext.js';
import { GENERIC_INTERNAL, HttpFailure, isAbort, methodNotAllowed, sendReply } from './replies.js';
import { serveApi } from './routes/api.js';
import { serveEvents } from './routes/events.js';
import { serveExport } from './routes/export.js';
import { servePhoto } from './routes/photo.js';
import { serveStatic } from './routes/static.js';

interface Route {
  matches(path: string): boolean;
  /** The methods it answers, as the Allow header lists them. */
  allow: string;
  /** Refuse requests a page of another site makes (Sec-Fetch-Site): everything but the static files. */
  sameSite: boolean;
  serve(ctx: HostContext, request: RouteRequest, res: ServerResponse): Promise<void> | void;
}

const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The first route that matches serves the request. */
const ROUTES: readonly Route[] = [
  { matches: (path) => path === '/api/events', allow: 'GET', sameSite: true, serve: serveEvents },
  { matches: under('/api'), allow: 'POST', sameSite: true, serve: serveApi },
  { matches: under('/export'), allow: 'GET', sameSite: true, serve: serveExport },
  { matches: under('/photo'), allow: 'GET, HEAD', sameSite: true, serve: servePhoto },
  { matches: () => true, allow: 'GET, HEAD', sameSite: false, serve: serveStatic },
];

/** The Host and Origin values this host accepts, known once it listens on its port. */
export interface Allowed {
  hosts: Set<string>;
  origins: Set<string>;
}

/** Answers one request; whatever goes wrong becomes its JSON error reply (or a logged 500). */
export function handleRequest(ctx: HostContext, allowed: Allowed, req: IncomingMessage, res: ServerResponse) {
  route(ctx, allowed, req, res).catch((err: unknown) => respondWithError(ctx, req, res, err));
}

async function route(ctx: HostContext, allowed: Allowed, req: IncomingMessage, res: ServerResponse) {
  const { log } = ctx;
  res.on('error', (err) => (isAbort(err) ? aborted(ctx, req) : log('browser host: response error', err)));
  req.on('error', (err) => (isAbort(err) ? aborted(ctx, req) : log('browser host: request error', err)));

  requireLoopbackOrigin(req, allowed.hosts, allowed.origins);
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const request: RouteRequest = {
    req,
    path: q === -1 ? rawUrl : rawUrl.slice(0, q),
    query: new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1)),
    method: req.method ?? 'GET',
  };
  const target = ROUTES.find((r) => r.matches(request.path)) as Route;
  if (target.sameSite) requireSameSite(req);
  if (!target.allow.split(', ').includes(request.method)) throw methodNotAllowed(target.allow);
  await target.serve(ctx, request, res);
}

/** One short line, without a stack, for a request the browser dropped. */
function aborted(ctx: HostContext, req: IncomingMessage): void {
  if (ctx.quiet.has(req)) return;
  ctx.quiet.add(req);
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  // The path only: queries carry tokens and signatures.
  ctx.log(
    `browser host: ${req.method ?? '?'} ${(q === -1 ? rawUrl : rawUrl.slice(0, q)).slice(0, 120)} aborted by the browser`,
  );
}

/** Refusals (HttpFailure) become their JSON reply; anything else is logged and becomes a generic 500. */
function respondWithError(ctx: HostContext, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const { log } = ctx;
  try {
    if (isAbort(err)) {
      aborted(ctx, req);
      res.destroy();
      return;
    }
    if (res.headersSent) {
      log(`browser host: ${req.method ?? '?'} request failed after the reply started`, err);
      res.destroy();
      return;
    }
    if (!(err instanceof HttpFailure)) {
      log(`browser host: ${req.method ?? '?'} request failed`, err);
      sendReply(res, 500, { ok: false, error: { code: 'internal', message: GENERIC_INTERNAL } });
      return;
    }
    const extra: OutgoingHttpHeaders = {};
    if (err.allow) extra.Allow = err.allow;
    const bodyUnread = !req.complete;
    // A body we will not read (too large, unauthorised) is not drained: the connection closes instead.
    if (bodyUnread) extra.Connection = 'close';
    sendReply(res, err.status, { ok: false, error: err.error }, extra);
    if (bodyUnread) {
      res.on('finish', () => {
        req.resume();
        setTimeout(() => req.socket.destroy(), 1_000).unref();
      });
    }
  } catch (e) {
    log('browser host: could not send an error reply', e);
    res.destroy();
  }
}
