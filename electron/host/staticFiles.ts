import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** What a GET path maps to in the renderer build. */
type StaticTarget =
  | { kind: 'bad' } // traversal attempt, NUL, backslash, undecodable: 400
  | { kind: 'notFound' }
  | { kind: 'index' } // the SPA shell
  | { kind: 'file'; file: string; immutable: boolean };

/**
 * Maps the raw request path (before any normalisation, so `..` and `%2e%2e` are seen as sent) to a file
 * inside `root`. Never returns a path outside `root`, following symlinks included.
 */
export function resolveStatic(root: string, rawPath: string): StaticTarget {
  if (!rawPath.startsWith('/') || rawPath.includes('\0') || rawPath.includes('\\')) return { kind: 'bad' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad' };
  // Segments are checked both raw and decoded: `/a/%2e%2e/b` and `/a/../b` are both refused, and an
  // encoded slash cannot smuggle a segment in.
  const rawSegments = rawPath.split('/');
  const segments = decoded.split('/');
  for (const seg of [...rawSegments, ...segments]) {
    let s: string;
    try {
      s = decodeURIComponent(seg);
    } catch {
      return { kind: 'bad' };
    }
    if (s === '.' || s === '..' || s.includes('/') || s.includes('\\')) return { kind: 'bad' };
  }
  if (decoded === '/' || decoded === '/index.html') return { kind: 'index' };
  // Dotfiles are never part of a Vite build; do not serve them.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'notFound' };

  const isAsset = decoded.startsWith('/assets/');
  const last = segments[segments.length - 1] ?? '';
  const hasExtension = path.extname(last) !== '';
  const file = insideRoot(root, decoded);
  if (file) return { kind: 'file', file, immutable: isAsset };
  if (isAsset || hasExtension) return { kind: 'notFound' };
  return { kind: 'index' };
}

/** The real path of a regular file under `root`, or undefined. */
function insideRoot(root: string, decoded: string): string | undefined {
  const base = path.resolve(root);
  const candidate = path.resolve(base, '.' + decoded);
  if (!isWithin(base, candidate)) return undefined;
  try {
    const realBase = fs.realpathSync(base);
    const real = fs.realpathSync(candidate);
    if (!isWithin(realBase, real)) return undefined;
    return fs.statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function isWithin(base: string, candidate: string): boolean {
  const rel = path.relative(base, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
}

/** index.html if the renderer has been built, else undefined. */
export function indexFile(root: string): string | undefined {
  return insideRoot(root, '/index.html');
}
