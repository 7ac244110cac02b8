import fs from 'node:fs';
import path from 'node:path';
import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { ApiError, ErrorCode, ProgressEvent, Reply } from '../../contract/result.js';
import { admit, dispatch, type Logger } from '../api/dispatch.js';
import { isChannel } from '../../contract/channels.js';
import { gateClinic, type DataKey } from '../api/clinicGate.js';
import { newCaller } from '../api/signIn.js';
import type { PhotoVariant } from '../services/photoStore.js';
import { MAX_PHOTO_BYTES } from '../../contract/domain.js';
import { MAX_BUNDLE_UPLOAD_BYTES } from '../../contract/exports.js';
import {
  SECURITY_HEADERS,
  allowedHosts,
  allowedOrigins,
  bearerToken,
  fetchSiteAllowed,
  hostAllowed,
  newSecret,
  originAllowed,
  photoSignature,
  exportSignature,
  tokenMatches,
} from './security.js';
import { contentTypeFor, indexFile, resolveStatic } from './staticFiles.js';

export { openInBrowser } from './openBrowser.js';

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest accepted file upload: a photo at its limit plus nothing. */
export const MAX_UPLOAD_BYTES = MAX_PHOTO_BYTES;
/** Channels whose input carries a file: sent as a raw body instead of JSON. */
const BINARY_CHANNELS = new Set(['photos.import', 'exports.import']);
/**
 * Archive bundles carry every photo of a course in three sizes, far beyond one photo's limit: the
 * bundle import alone accepts up to MAX_BUNDLE_UPLOAD_BYTES (larger ones: `needlelog import`).
 */
const UPLOAD_LIMITS: Record<string, number> = { 'exports.import': MAX_BUNDLE_UPLOAD_BYTES };
/** How long a download address of a finished export stays valid. */
const EXPORT_LINK_MS = 10 * 60 * 1000;
const EXPORT_PATH = /^\/export\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const PHOTO_PATH =
  /^\/photo\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(full|preview|thumb)$/;
/** SSE comment line sent this often so idle proxies/browsers keep the stream open. */
const SSE_HEARTBEAT_MS = 25_000;
const LOOPBACK = '127.0.0.1';

export interface BrowserHostOptions {
  dataDir: string;
  /** 0 or omitted: a random free port. */
  port?: number;
  /** The Vite build output (out/renderer). */
  rendererDir: string;
  log?: Logger;
  /** Per-launch secret; a fresh random one unless given (tests). */
  secret?: string;
  /** The clinic's key when the CLI already unlocked it; without one the page asks ("Unlock clinic"). */
  key?: DataKey;
}

export interface BrowserHost {
  /** `http://127.0.0.1:PORT/#token=SECRET`: the secret rides in the fragment, never sent to a server. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** The address actually bound: always 127.0.0.1. */
  address: string;
  secret: string;
  /** Stops listening, drops open connections (SSE included) and closes the database. Idempotent. */
  close(): Promise<void>;
}

const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  invalid_input: 400,
  bad_json: 400,
  unauthorized: 401,
  sign_in_required: 401,
  forbidden: 403,
  locked: 423,
  not_found: 404,
  unknown_channel: 404,
  conflict: 409,
  too_large: 413,
  internal: 500,
};

/** The HTTP status for a reply: 200 for ok, else by error code. */
export function statusForReply(reply: Reply<unknown>): number {
  return reply.ok ? 200 : (STATUS_FOR_CODE[reply.error.code] ?? 500);
}

const GENERIC_INTERNAL = 'Something went wrong on our side. Nothing was changed; please try again.';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
    readonly allow?: string,
  ) {
    super(error.message);
  }
}

const fail = (status: number, code: ErrorCode, message: string) => new HttpFailure(status, { code, message });

/** Codes of a connection the browser dropped: a tab closed or reloaded mid-request, an image no longer needed. */
const ABORT_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_EOF_STATE',
]);

/** Is this the browser going away, which is normal, rather than something going wrong? */
export function isAbort(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return (code !== undefined && ABORT_CODES.has(code)) || err.message === 'aborted';
}

function defaultLog(message: string, err?: unknown): void {
  console.error(`[needlelog] ${message}`, err ?? '');
}

/**
 * Serves the built renderer and the contract API on 127.0.0.1 for machines without Electron.
 * It is not a LAN server: loopback only, random port, per-launch secret, Host and Origin checked,
 * no CORS.
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const log = opts.log ?? defaultLog;
  const secret = opts.secret ?? newSecret();
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new Error('The browser host secret must be at least 16 characters.');
  }
  const requestedPort = opts.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`Port must be a whole number from 0 to 65535, not ${String(opts.port)}.`);
  }
  const rendererDir = opts.rendererDir;

  const photoUrl = (id: string, variant: PhotoVariant) =>
    `/photo/${id}/${variant}?sig=${photoSignature(secret, id, variant)}`;
  // Starts locked: the page asks for the passphrase ("Unlock clinic") before anything else.
  const clinic = gateClinic(opts.dataDir, { photoUrl, log });
  if (opts.key) clinic.openWithKey(opts.key);
  const { deps } = clinic;
  // The signed-in session belongs to this launch's secret: whoever holds it shares one session.
  const caller = newCaller();
  deps.exportsHost = {
    downloadUrl: (jobId) => {
      const expires = Date.now() + EXPORT_LINK_MS;
      return `/export/${jobId}?exp=${expires}&sig=${exportSignature(secret, jobId, expires)}`;
    },
  };

  let hosts = new Set<string>();
  let origins = new Set<string>();
  const sseStreams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => respondWithError(req, res, err));
  });
  // Slow or stalled clients must not hold a connection forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err, socket) => {
    if (!isAbort(err)) log('browser host: malformed request', err);
    if (socket.writable && !socket.writableEnded) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } else {
      socket.destroy();
    }
  });

  /** Requests already reported as aborted (one short line each), and event streams, whose end is normal. */
  const quiet = new WeakSet<IncomingMessage>();

  /** One short line, without a stack, for a request the browser dropped. */
  function aborted(req: IncomingMessage): void {
    if (quiet.has(req)) return;
    quiet.add(req);
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    // The path only: queries carry tokens and signatures.
    log(
      `browser host: ${req.method ?? '?'} ${(q === -1 ? rawUrl : rawUrl.slice(0, q)).slice(0, 120)} aborted by the browser`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', (err) => (isAbort(err) ? aborted(req) : log('browser host: response error', err)));
    req.on('error', (err) => (isAbort(err) ? aborted(req) : log('browser host: request error', err)));

    if (!hostAllowed(req, hosts)) {
      throw fail(403, 'forbidden', 'This server only answers requests addressed to 127.0.0.1.');
    }
    if (!originAllowed(req, origins)) {
      throw fail(403, 'forbidden', 'Requests from other origins are not accepted.');
    }

    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
    const method = req.method ?? 'GET';

    if (rawPath === '/api' || rawPath.startsWith('/api/')) {
      if (!fetchSiteAllowed(req)) throw fail(403, 'forbidden', 'Requests from other sites are not accepted.');
      if (rawPath === '/api/events') {
        if (method !== 'GET') throw methodNotAllowed('GET');
        requireToken(bearerToken(req) ?? query.get('token'));
        openEventStream(req, res);
        return;
      }
      if (method !== 'POST') throw methodNotAllowed('POST');
      requireToken(bearerToken(req));
      const channel = rawPath.slice('/api/'.length);
      // An upload from someone not signed in is refused before its bytes are read.
      if (BINARY_CHANNELS.has(channel) && isChannel(channel)) {
        const admitted = admit(deps, channel, caller);
        if ('refused' in admitted) {
          throw new HttpFailure(statusForReply({ ok: false, error: admitted.refused }), admitted.refused);
        }
      }
      const input = BINARY_CHANNELS.has(channel)
        ? await readBinaryInput(req, UPLOAD_LIMITS[channel] ?? MAX_UPLOAD_BYTES)
        : await readJsonInput(req);
      const reply = await dispatch(deps, channel, input, log, caller);
      sendReply(res, statusForReply(reply), reply);
      return;
    }

    if (rawPath === '/export' || rawPath.startsWith('/export/')) {
      if (!fetchSiteAllowed(req)) throw fail(403, 'forbidden', 'Requests from other sites are not accepted.');
      if (method !== 'GET') throw methodNotAllowed('GET');
      await serveExport(rawPath, query, res);
      return;
    }

    if (rawPath === '/photo' || rawPath.startsWith('/photo/')) {
      if (!fetchSiteAllowed(req)) throw fail(403, 'forbidden', 'Requests from other sites are not accepted.');
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
      await servePhoto(rawPath, query.get('sig'), method === 'HEAD', res);
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
    await serveStatic(rawPath, method === 'HEAD', res);
  }

  /** Refusals (HttpFailure) become their JSON reply; anything else is logged and becomes a generic 500. */
  function respondWithError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    try {
      if (isAbort(err)) {
        aborted(req);
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

  function requireToken(presented: string | null | undefined): void {
    if (!tokenMatches(presented, secret)) {
      throw fail(401, 'unauthorized', 'This request needs the token from the address NeedleLog printed.');
    }
  }

  function methodNotAllowed(allow: string): HttpFailure {
    return new HttpFailure(
      405,
      { code: 'forbidden', message: `Method not allowed here; use ${allow}.` },
      allow,
    );
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    sseStreams.add(res);
    quiet.add(req); // a stream ends when its tab goes away: nothing to report
    const send = (event: ProgressEvent) => {
      if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(event)}\n\n`);
    };
    const unsubscribe = deps.jobs.subscribe(send);
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
      sseStreams.delete(res);
    };
    res.on('close', cleanup);
    req.on('close', cleanup);
  }

  async function serveStatic(rawPath: string, headOnly: boolean, res: ServerResponse): Promise<void> {
    const target = resolveStatic(rendererDir, rawPath);
    if (target.kind === 'bad') {
      sendText(res, 400, 'Bad request.');
      return;
    }
    if (target.kind === 'notFound') {
      sendText(res, 404, 'Not found.');
      return;
    }
    let file: string;
    let cacheControl: string;
    if (target.kind === 'index') {
      const index = indexFile(rendererDir);
      if (!index) {
        sendText(
          res,
          503,
          `NeedleLog's interface has not been built yet (no index.html in ${rendererDir}).\n` +
            'Run "npm run build", then start NeedleLog again.\n',
        );
        return;
      }
      file = index;
      cacheControl = 'no-cache';
    } else {
      file = target.file;
      cacheControl = target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    }
    const stat = await fs.promises.stat(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(file),
      'Content-Length': stat.size,
      'Cache-Control': cacheControl,
    });
    if (headOnly) {
      res.end();
      return;
    }
    await pipeline(fs.createReadStream(file), res);
  }

  /**
   * A photo URL carries a signature of its own id and size, made with this launch's secret: a URL
   * grants that one image and nothing else, and the file is found by the database row, never by path.
   */
  async function servePhoto(rawPath: string, sig: string | null, headOnly: boolean, res: ServerResponse) {
    const m = PHOTO_PATH.exec(rawPath);
    if (!m || !sig || !tokenMatches(sig, photoSignature(secret, m[1] as string, m[2] as PhotoVariant))) {
      throw fail(401, 'unauthorized', 'This photo address is not valid for this NeedleLog.');
    }
    if (!clinic.isOpen()) throw fail(423, 'locked', 'The clinic is locked.');
    // A face is shown only while someone is signed in and the screen is not locked.
    if (!caller.session || caller.session.locked) {
      throw fail(401, 'sign_in_required', 'Sign in to see photos.');
    }
    // Decrypted in memory; the plain image never touches the disk.
    const bytes = await deps.services.photos.bytesOf(m[1] as string, m[2] as PhotoVariant);
    if (!bytes) throw fail(404, 'not_found', 'That photo could not be found.');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'image/jpeg',
      'Content-Length': bytes.length,
      // Faces: keep them out of the browser's disk cache.
      'Cache-Control': 'no-store',
    });
    res.end(headOnly ? undefined : bytes);
  }

  /** A JSON request body ("" means {}). */
  async function readJsonInput(req: IncomingMessage): Promise<unknown> {
    requireJson(req);
    const body = await readBody(req, MAX_BODY_BYTES);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw fail(400, 'bad_json', 'The request body is not valid UTF-8 text.');
    }
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw fail(400, 'bad_json', 'The request body is not valid JSON.');
    }
  }

  /**
   * A file upload: the raw bytes as the body, the rest of the input as URI-encoded JSON in the
   * X-NeedleLog-Input header. The bytes become the input's `data`, as they would over IPC.
   */
  /**
   * A finished export, as a download. The address carries its job id and expiry signed with this
   * launch's secret, so it grants that one file for a few minutes; the file is found by the job,
   * never by a path from the request.
   */
  async function serveExport(rawPath: string, query: URLSearchParams, res: ServerResponse) {
    const m = EXPORT_PATH.exec(rawPath);
    const expires = Number(query.get('exp'));
    const sig = query.get('sig');
    if (
      !m ||
      !sig ||
      !Number.isSafeInteger(expires) ||
      !tokenMatches(sig, exportSignature(secret, m[1] as string, expires))
    ) {
      throw fail(401, 'unauthorized', 'This download address is not valid for this NeedleLog.');
    }
    if (expires < Date.now())
      throw fail(410, 'unauthorized', 'This download address has expired; export again.');
    if (!caller.session || caller.session.locked) {
      throw fail(401, 'sign_in_required', 'Sign in to download an export.');
    }
    const job = deps.jobs.exports.result(m[1] as string);
    const stat = job ? await fs.promises.stat(job.file).catch(() => null) : null;
    if (!job || !stat) throw fail(404, 'not_found', 'That export could not be found.');
    const name = path.basename(job.file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': job.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/zip',
      'Content-Length': stat.size,
      'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-store',
    });
    await pipeline(fs.createReadStream(job.file), res);
  }

  async function readBinaryInput(req: IncomingMessage, limit: number): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/octet-stream') {
      throw fail(415, 'bad_json', 'Send the file as application/octet-stream.');
    }
    let fields: unknown;
    try {
      fields = JSON.parse(decodeURIComponent(String(req.headers['x-needlelog-input'] ?? '{}')));
    } catch {
      throw fail(400, 'bad_json', 'The X-NeedleLog-Input header is not valid JSON.');
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw fail(400, 'bad_json', 'The X-NeedleLog-Input header must be a JSON object.');
    }
    const body = await readBody(req, limit);
    return { ...fields, data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }

  /** Reads at most `limit` bytes, refusing early on Content-Length. */
  async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    const tooLarge = () => fail(413, 'too_large', `The request body is larger than ${limit} bytes.`);
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.off('data', onData);
          req.off('end', onEnd);
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = () => resolve();
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', reject);
      // A client that goes away mid-body: 'close' without 'end' (a no-op once resolved).
      req.on('close', () =>
        reject(
          Object.assign(new Error('The client closed the connection before sending the whole body.'), {
            code: 'ECONNRESET',
          }),
        ),
      );
    });
    return Buffer.concat(chunks, size);
  }

  function requireJson(req: IncomingMessage): void {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw fail(415, 'bad_json', 'Send the request body as application/json.');
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: LOOPBACK, port: requestedPort, exclusive: true });
  }).catch(async (err: unknown) => {
    await clinic.close({ backup: false });
    throw err;
  });
  server.on('error', (err) => log('browser host: server error', err));

  const address = server.address() as AddressInfo;
  const port = address.port;
  hosts = allowedHosts(port);
  origins = allowedOrigins(port);
  const origin = `http://${LOOPBACK}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const stream of sseStreams) stream.end();
      sseStreams.clear();
      server.close((err) => {
        clinic.close().then(() => {
          if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
          else resolve();
        }, reject);
      });
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return {
    url: `${origin}/#token=${secret}`,
    origin,
    port,
    address: address.address,
    secret,
    close,
  };
}

function sendReply(
  res: ServerResponse,
  status: number,
  reply: Reply<unknown>,
  extra: OutgoingHttpHeaders = {},
) {
  const body = JSON.stringify(reply);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
