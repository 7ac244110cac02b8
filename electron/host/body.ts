import type { IncomingMessage } from 'node:http';
import { MAX_PHOTO_BYTES } from '../../contract/domain.js';
import { MAX_BUNDLE_UPLOAD_BYTES } from '../../contract/exports.js';
import { fail } from './replies.js';

/** Largest accepted API request body. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest accepted file upload: a photo at its limit plus nothing. */
export const MAX_UPLOAD_BYTES = MAX_PHOTO_BYTES;
/** Channels whose input carries a file: sent as a raw body instead of JSON. */
export const BINARY_CHANNELS: ReadonlySet<string> = new Set(['photos.import', 'exports.import']);
/**
 * Archive bundles carry every photo of a course in three sizes, far beyond one photo's limit: the
 * bundle import alone accepts up to MAX_BUNDLE_UPLOAD_BYTES (larger ones: `needlelog import`).
 */
const UPLOAD_LIMITS: Record<string, number> = { 'exports.import': MAX_BUNDLE_UPLOAD_BYTES };

/** The input of an API request: a file upload for the binary channels, else a JSON body. */
export function readInput(req: IncomingMessage, channel: string): Promise<unknown> {
  return BINARY_CHANNELS.has(channel)
    ? readBinaryInput(req, UPLOAD_LIMITS[channel] ?? MAX_UPLOAD_BYTES)
    : readJsonInput(req);
}

const mediaType = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();

/** A JSON request body ("" means {}). */
async function readJsonInput(req: IncomingMessage): Promise<unknown> {
  if (mediaType(req) !== 'application/json') {
    throw fail('unsupported_media_type', 'Send the request body as application/json.');
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw fail('bad_json', 'The request body is not valid UTF-8 text.');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fail('bad_json', 'The request body is not valid JSON.');
  }
}

/**
 * A file upload: the raw bytes as the body, the rest of the input as URI-encoded JSON in the
 * X-NeedleLog-Input header. The bytes become the input's `data`, as they would over IPC.
 */
async function readBinaryInput(req: IncomingMessage, limit: number): Promise<unknown> {
  if (mediaType(req) !== 'application/octet-stream') {
    throw fail('unsupported_media_type', 'Send the file as application/octet-stream.');
  }
  let fields: unknown;
  try {
    fields = JSON.parse(decodeURIComponent(String(req.headers['x-needlelog-input'] ?? '{}')));
  } catch {
    throw fail('bad_json', 'The X-NeedleLog-Input header is not valid JSON.');
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw fail('bad_json', 'The X-NeedleLog-Input header must be a JSON object.');
  }
  const body = await readBody(req, limit);
  return { ...fields, data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
}

/** Reads at most `limit` bytes, refusing early on Content-Length. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => fail('too_large', `The request body is larger than ${limit} bytes.`);
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
