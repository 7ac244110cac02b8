import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiError, ErrorCode, Reply } from '../../contract/result.js';
import { SECURITY_HEADERS } from './security.js';

/**
 * The one HTTP status of each error code: a refusal's status comes from its code, never beside it,
 * so the two cannot disagree.
 */
export const STATUS_FOR_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  invalid_input: 400,
  bad_json: 400,
  unauthorized: 401,
  sign_in_required: 401,
  forbidden: 403,
  not_found: 404,
  unknown_channel: 404,
  method_not_allowed: 405,
  conflict: 409,
  expired: 410,
  too_large: 413,
  unsupported_media_type: 415,
  locked: 423,
  internal: 500,
});

/** The HTTP status for a reply: 200 for ok, else by error code. */
export function statusForReply(reply: Reply<unknown>): number {
  return reply.ok ? 200 : (STATUS_FOR_CODE[reply.error.code] ?? 500);
}

export const GENERIC_INTERNAL = 'Something went wrong on our side. Nothing was changed; please try again.';

/** A request refused before or instead of a dispatch: answered as its JSON error reply. */
export class HttpFailure extends Error {
  readonly status: number;
  constructor(
    readonly error: ApiError,
    readonly allow?: string,
  ) {
    super(error.message);
    this.status = STATUS_FOR_CODE[error.code] ?? 500;
  }
}

export const fail = (code: ErrorCode, message: string) => new HttpFailure({ code, message });

export function methodNotAllowed(allow: string): HttpFailure {
  return new HttpFailure(
    { code: 'method_not_allowed', message: `Method not allowed here; use ${allow}.` },
    allow,
  );
}

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

export function sendReply(
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

export function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
