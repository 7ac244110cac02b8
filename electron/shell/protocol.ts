import fs from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';

/**
 * The renderer is served from `app://needlelog/…`, a privileged standard scheme backed by the built
 * `out/renderer` directory: a real origin (so 'self' in the CSP means something and fetch works),
 * never `file://` and never a remote URL.
 */

/**
 * Must run before the app is ready, and Electron allows only one call: any later scheme (e.g. the
 * photo protocol) must be added to this list rather than registered separately.
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
    // Photos: loaded by <img> from the app page (the CSP's img-src names this scheme).
    { scheme: PHOTO_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

const PHOTO_SCHEME = 'needlelog-photo';
const PHOTO_PATH = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(full|preview|thumb)$/;

/**
 * `needlelog-photo://photo/<id>/<variant>`: the renderer never sees a file path. The id is looked
 * up in the database and the file found by its stored hash, so no URL can reach outside photos/.
 */
type PhotoBytes = (photoId: string, variant: 'full' | 'preview' | 'thumb') => Promise<Buffer | null>;

export function createPhotoProtocolHandler(bytesOf: PhotoBytes): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    const m =
      url.protocol === `${PHOTO_SCHEME}:` && url.host === 'photo' ? PHOTO_PATH.exec(url.pathname) : null;
    try {
      // Decrypted in memory; the plain image never touches the disk.
      const bytes = m ? await bytesOf(m[1] as string, m[2] as 'full' | 'preview' | 'thumb') : null;
      if (!bytes) return textResponse(404, 'Not found');
      const headers = baseHeaders('image/jpeg');
      headers.set('Cache-Control', 'no-store');
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
    } catch {
      return textResponse(404, 'Not found');
    }
  };
}

/** Serves photos on the photo scheme (default session). Call once the app is ready. */
export function registerPhotoProtocol(bytesOf: PhotoBytes): void {
  protocol.handle(PHOTO_SCHEME, createPhotoProtocolHandler(bytesOf));
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every response of the app protocol carries, errors included. */
function baseHeaders(contentType: string): Headers {
  const headers = new Headers();
  headers.set('Content-Type', contentType);
  headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'no-referrer');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cache-Control', 'no-cache');
  return headers;
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: baseHeaders('text/plain; charset=utf-8') });
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

/**
 * Maps a request path onto a file under `root`, or null when it is not a plain relative path
 * inside it. The URL parser already removes literal `..` segments; this also refuses encoded
 * ones (`%2e%2e%2f`), backslashes, NUL bytes and anything that resolves outside the root.
 */
function resolveInside(root: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  const resolved = path.resolve(root, ...segments);
  return isInside(root, resolved) ? resolved : null;
}

async function regularFile(root: string, candidate: string): Promise<string | null> {
  try {
    // realpath so a symlink inside the root cannot point outside it.
    const real = await fs.realpath(candidate);
    if (!isInside(root, real)) return null;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * The request handler for the app protocol, kept free of Electron so it can be tested with plain
 * `Request` objects. Serves files from `rendererDir`; paths without an extension that match no file
 * get index.html (the renderer routes on the client side).
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const rootPromise = fs.realpath(rendererDir).catch(() => path.resolve(rendererDir));

  return async (request) => {
    const root = await rootPromise;
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, 'Not found');

    const target = resolveInside(root, url.pathname === '/' ? '/index.html' : url.pathname);
    if (target === null) return textResponse(403, 'Forbidden');

    let file = await regularFile(root, target);
    if (file === null && path.extname(target) === '')
      file = await regularFile(root, path.join(root, 'index.html'));
    if (file === null) return textResponse(404, 'Not found');

    const body = request.method === 'HEAD' ? null : await fs.readFile(file);
    return new Response(body, { status: 200, headers: baseHeaders(mimeTypeFor(file)) });
  };
}

/** Serves the built renderer on the app scheme (default session). Call once the app is ready. */
export function registerAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
