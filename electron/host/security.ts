import crypto from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

import { CONTENT_SECURITY_POLICY } from '../../contract/csp.js';

export { CONTENT_SECURITY_POLICY };

/** Sent on every response the browser host writes, static or API. There is never a CORS header. */
export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** A fresh per-launch secret: 32 random bytes, base64url (43 characters, URL- and header-safe). */
export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison of a presented token with the secret. Both sides are hashed first so the
 * comparison does not even leak the secret's length.
 */
export function tokenMatches(presented: string | undefined | null, secret: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = crypto.createHash('sha256').update(presented, 'utf8').digest();
  const b = crypto.createHash('sha256').update(secret, 'utf8').digest();
  return crypto.timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

/** The only Host values a loopback server on `port` accepts; anything else is DNS rebinding. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** The only Origin values accepted when a browser sends one. */
export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, hosts: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.has(host.toLowerCase());
}

/** No Origin header (a typed-in URL, a same-origin GET, a non-browser client) is fine; a foreign one is not. */
export function originAllowed(req: IncomingMessage, origins: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return typeof origin === 'string' && origins.has(origin.toLowerCase());
}

/**
 * Fetch metadata, where the browser sends it: API and photo requests must come from our own pages
 * (`same-origin`) or be a direct navigation (`none`). Another port on 127.0.0.1 is `same-site`, so
 * this refuses it even if an Origin header were somehow missing.
 */
export function fetchSiteAllowed(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === undefined) return true;
  return site === 'same-origin' || site === 'none';
}

/** The signature in a photo URL: HMAC of the photo id and size with this launch's secret. */
export function photoSignature(secret: string, photoId: string, variant: string): string {
  return crypto.createHmac('sha256', secret).update(`photo:${photoId}/${variant}`).digest('base64url');
}

/** The signature in an export download address: HMAC of the job id and expiry with this launch's secret. */
export function exportSignature(secret: string, jobId: string, expires: number): string {
  return crypto.createHmac('sha256', secret).update(`export:${jobId}/${expires}`).digest('base64url');
}
