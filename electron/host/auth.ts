import type { IncomingMessage } from 'node:http';
import type { Caller } from '../api/signIn.js';
import { fail } from './replies.js';
import { fetchSiteAllowed, hostAllowed, originAllowed, tokenMatches } from './security.js';

/** Every request, first: addressed to loopback (no DNS rebinding) and not sent from another origin. */
export function requireLoopbackOrigin(req: IncomingMessage, hosts: Set<string>, origins: Set<string>): void {
  if (!hostAllowed(req, hosts)) {
    throw fail('forbidden', 'This server only answers requests addressed to 127.0.0.1.');
  }
  if (!originAllowed(req, origins)) {
    throw fail('forbidden', 'Requests from other origins are not accepted.');
  }
}

/** The API, photos and downloads: never for a page of another site (Sec-Fetch-Site). */
export function requireSameSite(req: IncomingMessage): void {
  if (!fetchSiteAllowed(req)) throw fail('forbidden', 'Requests from other sites are not accepted.');
}

/** The per-launch secret, presented as a bearer token (or the event stream's query). */
export function requireToken(presented: string | null | undefined, secret: string): void {
  if (!tokenMatches(presented, secret)) {
    throw fail('unauthorized', 'This request needs the token from the address NeedleLog printed.');
  }
}

/** A face or a record leaves only while someone is signed in and the screen is not locked. */
export function requireSignedIn(caller: Caller, message: string): void {
  if (!caller.session || caller.session.locked) throw fail('sign_in_required', message);
}
