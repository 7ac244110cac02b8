import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { HostContext, RouteRequest } from '../hostContext.js';
import { sendText } from '../replies.js';
import { SECURITY_HEADERS } from '../security.js';
import { contentTypeFor, indexFile, resolveStatic } from '../staticFiles.js';
import { startStep } from '../../services/startTrace.js';

/** `GET|HEAD` anything else: the built renderer's files, index.html for the app's own paths. */
export async function serveStatic(ctx: HostContext, { path, method }: RouteRequest, res: ServerResponse) {
  const { rendererDir } = ctx;
  const target = resolveStatic(rendererDir, path);
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
  if (method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(fs.createReadStream(file), res);
  startStep(`${target.kind === 'index' ? 'page' : path.split('.').pop()} served`);
}
