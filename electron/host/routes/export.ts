import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { requireSignedIn } from '../auth.js';
import type { HostContext, RouteRequest } from '../hostContext.js';
import { fail } from '../replies.js';
import { SECURITY_HEADERS, exportSignature, tokenMatches } from '../security.js';

/** How long a download address of a finished export stays valid. */
const EXPORT_LINK_MS = 10 * 60 * 1000;
const EXPORT_PATH = /^\/export\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The download address of a finished export job, valid for EXPORT_LINK_MS from now. */
export function exportDownloadUrl(secret: string, jobId: string): string {
  const expires = Date.now() + EXPORT_LINK_MS;
  return `/export/${jobId}?exp=${expires}&sig=${exportSignature(secret, jobId, expires)}`;
}

/**
 * `GET /export/<job>?exp=…&sig=…`: a finished export, as a download. The address carries its job
 * id and expiry signed with this launch's secret, so it grants that one file for a few minutes; the
 * file is found by the job, never by a path from the request.
 */
export async function serveExport(
  ctx: HostContext,
  { path: urlPath, query }: RouteRequest,
  res: ServerResponse,
) {
  const m = EXPORT_PATH.exec(urlPath);
  const expires = Number(query.get('exp'));
  const sig = query.get('sig');
  if (
    !m ||
    !sig ||
    !Number.isSafeInteger(expires) ||
    !tokenMatches(sig, exportSignature(ctx.secret, m[1] as string, expires))
  ) {
    throw fail('unauthorized', 'This download address is not valid for this NeedleLog.');
  }
  if (expires < Date.now()) throw fail('expired', 'This download address has expired; export again.');
  requireSignedIn(ctx.caller, 'Sign in to download an export.');
  const job = ctx.clinic.deps.jobs.exports.result(m[1] as string);
  const stat = job ? await fs.promises.stat(job.file).catch(() => null) : null;
  if (!job || !stat) throw fail('not_found', 'That export could not be found.');
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
