import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../api/dispatch.js';
import { gateClinic, type DataKey } from '../api/clinicGate.js';
import { newCaller } from '../api/signIn.js';
import type { HostContext } from './hostContext.js';
import { isAbort } from './replies.js';
import { handleRequest, type Allowed } from './router.js';
import { exportDownloadUrl } from './routes/export.js';
import { photoUrl } from './routes/photo.js';
import { allowedHosts, allowedOrigins, newSecret } from './security.js';
import { startStep } from '../services/startTrace.js';

export { openInBrowser } from './openBrowser.js';
export { MAX_BODY_BYTES, MAX_UPLOAD_BYTES } from './body.js';
export { isAbort, statusForReply } from './replies.js';

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

function defaultLog(message: string, err?: unknown): void {
  console.error(`[needlelog] ${message}`, err ?? '');
}

/**
 * Serves the built renderer and the contract API on 127.0.0.1 for machines without Electron.
 * It is not a LAN server: loopback only, random port, per-launch secret, Host and Origin checked,
 * no CORS. The routes are in routes/, the checks every request passes in auth.ts.
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

  // Starts locked: the page asks for the passphrase ("Unlock clinic") before anything else.
  const clinic = gateClinic(opts.dataDir, { photoUrl: (id, variant) => photoUrl(secret, id, variant), log });
  if (opts.key) clinic.openWithKey(opts.key);
  clinic.deps.exportsHost = { downloadUrl: (jobId) => exportDownloadUrl(secret, jobId) };
  const ctx: HostContext = {
    secret,
    clinic,
    // The signed-in session belongs to this launch's secret: whoever holds it shares one session.
    caller: newCaller(),
    log,
    rendererDir: opts.rendererDir,
    eventStreams: new Set<ServerResponse>(),
    quiet: new WeakSet<IncomingMessage>(),
  };
  const allowed: Allowed = { hosts: new Set(), origins: new Set() };
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => handleRequest(ctx, allowed, req, res));
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
  startStep('host listening');

  const address = server.address() as AddressInfo;
  const port = address.port;
  allowed.hosts = allowedHosts(port);
  allowed.origins = allowedOrigins(port);
  const origin = `http://${LOOPBACK}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      for (const stream of ctx.eventStreams) stream.end();
      ctx.eventStreams.clear();
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
