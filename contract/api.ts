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
