import { QueryClient, queryOptions, type Query, type UseQueryResult } from '@tanstack/react-query';
import type { Channel, ChannelInput, ChannelOutput } from '../../../contract/channels.js';
import type { ApiError } from '../../../contract/result.js';
import { call } from '../api.js';

/**
 * The renderer's one way to read data: TanStack Query over `call()`. A query's key is its channel
 * and input (`['clients.get', { id }]`), so the part before the dot names its domain, and a write
 * marks whole domains stale (./stale.ts). Only the reads on screen are fetched again.
 */

/** A refused read, carrying the host's error (its message is what the page shows). */
export class ReplyError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ReplyError';
  }
}

/** A failed read as the host's error (code, message, field), for screens that place it on a field. */
export function apiError(error: unknown): ApiError | null {
  if (error instanceof ReplyError) return error.error;
  return error ? { code: 'internal', message: errorMessage(error) } : null;
}

/** What a screen says when a read failed: the host's sentence, or a generic one. */
function errorMessage(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'Unknown error.';
}

/** Calls one channel for a query: its value, or a thrown `ReplyError`. */
export async function read<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const reply = await call(channel, input);
  if (!reply.ok) throw new ReplyError(reply.error);
  return reply.value;
}

/** The query of one channel with one input. */
export function channelQuery<C extends Channel>(channel: C, input: ChannelInput<C>) {
  return queryOptions({
    queryKey: [channel, input] as const,
    queryFn: () => read(channel, input),
  });
}

/** What `allOf` needs of one read. */
export type Read<T> = Pick<UseQueryResult<T>, 'data' | 'error' | 'isFetchedAfterMount'>;

/** A page's data: still coming, refused with the host's message, or there. */
export type PageData<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/**
 * Several reads as one page's state. Failed when a read failed before it had any data (the first in
 * the order given); ready when all are in. A later re-read that fails keeps what is shown. With
 * `fresh`, ready only once each was read after the page opened: a form starts from the record as
 * it is now, never from a cached copy (a draft just saved away, a session just logged).
 */
export function allOf<Q extends Record<string, Read<unknown>>>(
  reads: Q,
  fresh = false,
): PageData<{ [K in keyof Q]: Exclude<Q[K]['data'], undefined> }> {
  const all = Object.values(reads);
  const failed = all.find((r) => r.error && r.data === undefined);
  if (failed?.error) return { status: 'error', message: errorMessage(failed.error) };
  if (all.some((r) => r.data === undefined || (fresh && !r.isFetchedAfterMount)))
    return { status: 'loading' };
  const data = Object.fromEntries(Object.entries(reads).map(([k, r]) => [k, r.data]));
  return { status: 'ready', data: data as { [K in keyof Q]: Exclude<Q[K]['data'], undefined> } };
}

/** A read a page can do without: `fallback` once it failed. */
export function optional<T, F>(read: Read<T>, fallback: F): Read<T | F> {
  return read.error && read.data === undefined ? { ...read, data: fallback, error: null } : read;
}

/** `clients` of `clients.get`: what a write marks stale. */
export type Domain = Channel extends `${infer D}.${string}` ? D : never;

export function domainOf(query: Query): string {
  const channel = query.queryKey[0];
  return typeof channel === 'string' ? channel.slice(0, channel.indexOf('.')) : '';
}

/** The record id a query reads by (`{ id }`), if it reads one record. */
export function recordIdOf(query: Query): string | null {
  const input = query.queryKey[1];
  return typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string'
    ? input.id
    : null;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal from the host is an answer (not found, not allowed), not a network hiccup.
        retry: false,
        // A page opened again reads its record afresh, as it always has; the cached copy shows
        // meanwhile instead of "Loading…".
        staleTime: 0,
        // A desktop window gains focus all the time; writes say what changed (./stale.ts).
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false },
    },
  });
}
