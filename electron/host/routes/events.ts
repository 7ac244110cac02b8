import type { ServerResponse } from 'node:http';
import type { ProgressEvent } from '../../../contract/result.js';
import { requireToken } from '../auth.js';
import type { HostContext, RouteRequest } from '../hostContext.js';
import { SECURITY_HEADERS, bearerToken } from '../security.js';

/** SSE comment line sent this often so idle proxies/browsers keep the stream open. */
const SSE_HEARTBEAT_MS = 25_000;

/**
 * `GET /api/events`: the progress of long jobs as server-sent events. EventSource cannot set a
 * header, so the secret may ride in the query instead.
 */
export function serveEvents(ctx: HostContext, { req, query }: RouteRequest, res: ServerResponse): void {
  requireToken(bearerToken(req) ?? query.get('token'), ctx.secret);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');
  ctx.eventStreams.add(res);
  ctx.quiet.add(req); // a stream ends when its tab goes away: nothing to report
  const send = (event: ProgressEvent) => {
    if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  const unsubscribe = ctx.clinic.deps.jobs.subscribe(send);
  const heartbeat = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write(': ping\n\n');
  }, SSE_HEARTBEAT_MS);
  heartbeat.unref();
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    clearInterval(heartbeat);
    unsubscribe();
    ctx.eventStreams.delete(res);
  };
  res.on('close', cleanup);
  req.on('close', cleanup);
}
