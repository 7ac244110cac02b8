import type { NeedleLogApi } from '../../contract/api.js';
import type { Channel, ChannelInput, ChannelOutput } from '../../contract/channels.js';
import type { ApiError, ProgressEvent, Reply } from '../../contract/result.js';

/**
 * The browser host's side of the contract: `POST /api/<channel>` with the per-launch token as a
 * bearer credential, and progress events over one shared EventSource.
 */

const TOKEN_KEY = 'needlelog.token';

/**
 * The per-launch token. On first load it arrives in the URL fragment (`#token=…`, never sent to a
 * server); it is kept in sessionStorage so reloads work and removed from the visible address so it
 * does not end up in screenshots, bookmarks or screen shares.
 */
export function takeToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const fromHash = params.get('token');
  if (fromHash) {
    writeStoredToken(fromHash);
    params.delete('token');
    const rest = params.toString();
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
    return fromHash;
  }
  return readStoredToken();
}

/**
 * A link pasted into an open tab only changes the fragment, which loads nothing: start over so the
 * new token is taken like on a first load.
 */
export function reloadOnNewToken(): void {
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(window.location.hash.replace(/^#/, '')).has('token')) window.location.reload();
  });
}

/** Forgets a token the host no longer accepts (e.g. after `needlelog web` was restarted). */
export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage may be unavailable; there is then nothing to forget.
  }
}

function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeStoredToken(token: string): void {
  try {
    window.sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Without storage the token still works until the page is reloaded.
  }
}

const NOT_ANSWERING =
  'NeedleLog is not answering. Check that `needlelog web` is still running, then try again.';

function failure(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

function isReply(body: unknown): body is Reply<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: unknown };
  if (b.ok === true) return 'value' in b;
  if (b.ok !== false || typeof b.error !== 'object' || b.error === null) return false;
  const e = b.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

function isProgressEvent(data: unknown): data is ProgressEvent {
  if (typeof data !== 'object' || data === null) return false;
  const e = data as Record<string, unknown>;
  return (
    typeof e.jobId === 'string' &&
    typeof e.label === 'string' &&
    typeof e.done === 'number' &&
    typeof e.total === 'number' &&
    typeof e.finished === 'boolean'
  );
}

/**
 * JSON for ordinary input. An input carrying a file (`data` as bytes, e.g. photos.import) goes as the
 * raw body with the other fields in a header, as the browser host expects; over IPC the same input
 * is structured-cloned whole.
 */
function requestBody(input: unknown): { headers: Record<string, string>; body: BodyInit } {
  if (typeof input === 'object' && input !== null && 'data' in input && input.data instanceof Uint8Array) {
    const { data, ...fields } = input as { data: Uint8Array<ArrayBuffer> };
    return {
      headers: {
        'Content-Type': 'application/octet-stream',
        'X-NeedleLog-Input': encodeURIComponent(JSON.stringify(fields)),
      },
      body: data,
    };
  }
  return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input ?? {}) };
}

export function createHttpApi(token: string): NeedleLogApi {
  const listeners = new Set<(event: ProgressEvent) => void>();
  let source: EventSource | null = null;

  function openEvents(): void {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!isProgressEvent(data)) return;
      for (const listener of [...listeners]) listener(data);
    };
    // EventSource reconnects by itself after a dropped connection; nothing to do on error.
  }

  function closeEvents(): void {
    source?.close();
    source = null;
  }

  async function invoke<C extends Channel>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<Reply<ChannelOutput<C>>> {
    let response: Response;
    try {
      const { headers, body } = requestBody(input);
      response = await fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { ...headers, Authorization: `Bearer ${token}` },
        body,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'error',
      });
    } catch {
      return failure('internal', NOT_ANSWERING);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (isReply(body)) return body as Reply<ChannelOutput<C>>;
    if (response.status === 401) {
      return failure('unauthorized', 'This page is no longer signed in to NeedleLog.');
    }
    return failure('internal', `NeedleLog sent an unexpected answer (HTTP ${response.status}).`);
  }

  return {
    invoke,
    onProgress(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) closeEvents();
      };
    },
  };
}
