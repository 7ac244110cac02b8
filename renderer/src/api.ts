import type { NeedleLogApi } from '../../contract/api.js';
import type { Channel, ChannelInput, ChannelOutput } from '../../contract/channels.js';
import type { ProgressEvent, Reply } from '../../contract/result.js';
import { createHttpApi, forgetToken, reloadOnNewToken, takeToken } from './httpApi.js';

/**
 * The one place the renderer learns which host it runs under. Everything else calls `call()` and
 * `onProgress()` and never sees IPC or HTTP.
 */
type HostKind = 'electron' | 'browser' | 'none';

interface Resolved {
  kind: HostKind;
  api: NeedleLogApi | null;
}

let resolved: Resolved | null = null;
const authListeners = new Set<(message: string) => void>();
const signInListeners = new Set<() => void>();

/** Called when the host says nobody is signed in or the session is locked (e.g. the OS locked it). */
export function onSignInRequired(listener: () => void): () => void {
  signInListeners.add(listener);
  return () => {
    signInListeners.delete(listener);
  };
}

/** Called when the host refuses our credentials, so the app can say so once, in one place. */
export function onUnauthorized(listener: (message: string) => void): () => void {
  authListeners.add(listener);
  return () => {
    authListeners.delete(listener);
  };
}

function resolve(): Resolved {
  if (resolved) return resolved;
  if (window.needlelog) {
    resolved = { kind: 'electron', api: window.needlelog };
  } else {
    reloadOnNewToken();
    const token = takeToken();
    resolved = token ? { kind: 'browser', api: createHttpApi(token) } : { kind: 'none', api: null };
  }
  return resolved;
}

/** Reads the token from the address bar (browser host) as early as possible; safe to call again. */
export function hostKind(): HostKind {
  return resolve().kind;
}

const NO_HOST = 'NeedleLog is not connected. Open it from the link printed by `needlelog web`.';

/** Calls one channel of the contract. Never throws: failures come back as `{ ok: false }`. */
export async function call<C extends Channel>(
  channel: C,
  input: ChannelInput<C>,
): Promise<Reply<ChannelOutput<C>>> {
  const { api } = resolve();
  if (!api) return { ok: false, error: { code: 'unauthorized', message: NO_HOST } };
  try {
    const reply = await api.invoke(channel, input);
    if (!reply.ok && reply.error.code === 'unauthorized') {
      forgetCredentials();
      for (const listener of [...authListeners]) listener(reply.error.message);
    }
    if (!reply.ok && reply.error.code === 'sign_in_required') {
      for (const listener of [...signInListeners]) listener();
    }
    return reply;
  } catch (err) {
    return {
      ok: false,
      error: {
        code: 'internal',
        message: err instanceof Error && err.message ? err.message : 'The request could not be sent.',
      },
    };
  }
}

/** Subscribes to progress events of long jobs; returns the unsubscribe function. */
export function onProgress(listener: (event: ProgressEvent) => void): () => void {
  const { api } = resolve();
  return api ? api.onProgress(listener) : () => {};
}

/** After the host refused our credentials: a stale browser-host token must not be reused on reload. */
function forgetCredentials(): void {
  if (resolve().kind === 'browser') forgetToken();
}
