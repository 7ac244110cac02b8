import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_INVOKE, IPC_PROGRESS, type NeedleLogApi } from '../../contract/api.js';
import type { ProgressEvent, Reply } from '../../contract/result.js';

/**
 * The preload of a sandboxed, context-isolated page: it exposes `window.needlelog` with exactly
 * `invoke` and `onProgress`, and nothing else. ipcRenderer itself never crosses the bridge, and a
 * listener receives only the event payload, never the IpcRendererEvent (which carries `sender`).
 * Built to CommonJS (`out/preload/index.cjs`) because sandboxed preloads cannot be ES modules.
 */

function invoke(channel: unknown, input: unknown): Promise<Reply<unknown>> {
  if (typeof channel !== 'string') {
    return Promise.resolve({
      ok: false,
      error: { code: 'unknown_channel', message: 'The API channel must be a name.' },
    });
  }
  return ipcRenderer.invoke(IPC_INVOKE, channel, input) as Promise<Reply<unknown>>;
}

function onProgress(listener: (event: ProgressEvent) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onProgress needs a listener function.');
  const forward = (_event: IpcRendererEvent, payload: ProgressEvent) => listener(payload);
  ipcRenderer.on(IPC_PROGRESS, forward);
  return () => {
    ipcRenderer.removeListener(IPC_PROGRESS, forward);
  };
}

const api = { invoke, onProgress } as NeedleLogApi;

contextBridge.exposeInMainWorld('needlelog', api);
