import type { Channel, ChannelInput, ChannelOutput } from './channels.js';
import type { ProgressEvent, Reply } from './result.js';

/** What the renderer sees as `window.needlelog`, under either host. */
export interface NeedleLogApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Reply<ChannelOutput<C>>>;
  /** Returns an unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

/** The IPC channel names used by the Electron host; the browser host maps them onto HTTP. */
export const IPC_INVOKE = 'needlelog:invoke';
export const IPC_PROGRESS = 'needlelog:progress';

/**
 * Not a job: the main side asks the window to lock now (OS screen lock, suspend). It rides on the
 * progress stream so the bridge keeps exactly two methods; the renderer saves its drafts and locks.
 */
export const LOCK_REQUEST_JOB_ID = 'needlelog:lock';
