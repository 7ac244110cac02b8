import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_INVOKE, IPC_PROGRESS } from '../../contract/api.js';
import type { Reply } from '../../contract/result.js';
import { dispatch, type Logger } from '../api/dispatch.js';
import type { HandlerDeps } from '../api/handlers.js';
import { isOurFrame } from './security.js';

/** Tells whether an invoke came from a webContents we created (our window), not just any page. */
export type SenderCheck = (sender: WebContents) => boolean;

const FORBIDDEN: Reply<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the NeedleLog window.' },
};

/**
 * The one IPC handler: `invoke(channel, input)` from the preload. It answers only our own page
 * (main frame of our window, on the app origin) and then hands over to the same `dispatch` the
 * browser host uses, so every contract channel is reachable and nothing else is.
 * Returns a function that removes the handler.
 */
export function registerIpc(deps: HandlerDeps, isOurWindow: SenderCheck, log: Logger): () => void {
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
      return dispatch(deps, channel, input, log);
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
