import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_INVOKE, IPC_PROGRESS } from '../../contract/api.js';
import type { Reply } from '../../contract/result.js';
import { dispatch, type Logger } from '../api/dispatch.js';
import type { HandlerDeps } from '../api/handlers.js';
import { lockSession, newCaller, type Caller } from '../api/signIn.js';
import { isOurFrame } from './security.js';

/** Tells whether an invoke came from a webContents we created (our window), not just any page. */
type SenderCheck = (sender: WebContents) => boolean;

const FORBIDDEN: Reply<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the NeedleLog window.' },
};

/**
 * The signed-in sessions, one per webContents (our window): a session belongs to the window it was
 * made in and ends with it. Electron can lock them all (OS screen lock, suspend).
 */
export function createCallers() {
  const byContents = new Map<number, Caller>();
  return {
    of(contents: WebContents): Caller {
      let caller = byContents.get(contents.id);
      if (!caller) {
        caller = newCaller();
        byContents.set(contents.id, caller);
        contents.once('destroyed', () => byContents.delete(contents.id));
      }
      return caller;
    },
    /** Locks every open session; returns how many were open. */
    lockAll(deps: HandlerDeps, reason: string): number {
      let n = 0;
      for (const caller of byContents.values()) {
        try {
          if (lockSession(deps.services, caller, reason)) n++;
        } catch {
          // The session is locked before its activity row is written; a row that cannot be written
          // (a damaged clinic) must not leave the other windows open.
        }
      }
      return n;
    },
    anyOpen(): boolean {
      return [...byContents.values()].some((c) => c.session !== null && !c.session.locked);
    },
  };
}
export type Callers = ReturnType<typeof createCallers>;

/**
 * The one IPC handler: `invoke(channel, input)` from the preload. It answers only our own page
 * (main frame of our window, on the app origin) and then hands over to the same `dispatch` the
 * browser host uses, so every contract channel is reachable and nothing else is.
 * Returns a function that removes the handler.
 */
export function registerIpc(
  deps: HandlerDeps,
  isOurWindow: SenderCheck,
  log: Logger,
  callers: Callers = createCallers(),
): () => void {
  ipcMain.handle(
    IPC_INVOKE,
    (
      event: IpcMainInvokeEvent,
      channel: unknown,
      input: unknown,
    ): Promise<Reply<unknown>> | Reply<unknown> => {
      if (!isOurWindow(event.sender) || !isOurFrame(event.senderFrame)) {
        log(`refused an IPC call from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return FORBIDDEN;
      }
      if (typeof channel !== 'string') {
        return {
          ok: false,
          error: { code: 'unknown_channel', message: 'The API channel must be a name.' },
        };
      }
      return dispatch(deps, channel, input, log, callers.of(event.sender));
    },
  );
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

/**
 * Forwards job progress to the window. `target()` is asked at each event, so a closed or
 * recreated window is handled. Returns the unsubscribe function.
 */
export function forwardProgress(jobs: HandlerDeps['jobs'], target: () => WebContents | null): () => void {
  return jobs.subscribe((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(IPC_PROGRESS, event);
  });
}
