import type { ServerResponse } from 'node:http';
import type { PhotoVariant } from '../../services/photoStore.js';
import { requireSignedIn } from '../auth.js';
import type { HostContext, RouteRequest } from '../hostContext.js';
import { fail } from '../replies.js';
import { SECURITY_HEADERS, photoSignature, tokenMatches } from '../security.js';

const PHOTO_PATH =
  /^\/photo\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/(full|preview|thumb)$/;

/** The address of one photo in one size, signed with this launch's secret. */
export function photoUrl(secret: string, id: string, variant: PhotoVariant): string {
  return `/photo/${id}/${variant}?sig=${photoSignature(secret, id, variant)}`;
}

/**
 * `GET|HEAD /photo/<id>/<variant>?sig=…`. A photo URL carries a signature of its own id and size,
 * made with this launch's secret: a URL grants that one image and nothing else, and the file is
 * found by the database row, never by path.
 */
export async function servePhoto(
  ctx: HostContext,
  { path, query, method }: RouteRequest,
  res: ServerResponse,
) {
  const m = PHOTO_PATH.exec(path);
  const sig = query.get('sig');
  if (!m || !sig || !tokenMatches(sig, photoSignature(ctx.secret, m[1] as string, m[2] as PhotoVariant))) {
    throw fail('unauthorized', 'This photo address is not valid for this NeedleLog.');
  }
  if (!ctx.clinic.isOpen()) throw fail('locked', 'The clinic is locked.');
  requireSignedIn(ctx.caller, 'Sign in to see photos.');
  // Decrypted in memory; the plain image never touches the disk.
  const bytes = await ctx.clinic.deps.services.photos.bytesOf(m[1] as string, m[2] as PhotoVariant);
  if (!bytes) throw fail('not_found', 'That photo could not be found.');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'image/jpeg',
    'Content-Length': bytes.length,
    // Faces: keep them out of the browser's disk cache.
    'Cache-Control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : bytes);
}
