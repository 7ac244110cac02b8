import { describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE, IPC_PROGRESS } from '../../contract/api.js';

// A fake `electron` for the preload: a contextBridge that records what is exposed and an
// ipcRenderer that records calls.
const fake = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const ipcRenderer = {
    invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from main' })),
    on: vi.fn(),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, value: unknown) => exposed.set(key, value)),
  };
  return { exposed, ipcRenderer, contextBridge };
});

vi.mock('electron', () => {
  const electron = { contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer };
  return { ...electron, default: electron };
});

await import('../../electron/shell/preload.js');

interface ExposedApi {
  invoke(channel: unknown, input: unknown): Promise<unknown>;
  onProgress(listener: (...args: unknown[]) => void): () => void;
}

function api(): ExposedApi {
  return fake.exposed.get('needlelog') as ExposedApi;
}

describe('preload', () => {
  it('exposes exactly window.needlelog with exactly invoke and onProgress', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...fake.exposed.keys()]).toEqual(['needlelog']);
    const exposed = api() as unknown as Record<string, unknown>;
    expect(Object.keys(exposed).sort()).toEqual(['invoke', 'onProgress']);
    for (const value of Object.values(exposed)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(fake.ipcRenderer);
      expect(Object.values(fake.ipcRenderer)).not.toContain(value);
    }
  });

  it('invoke goes through the one invoke channel and checks the channel is a string', async () => {
    await expect(api().invoke('clients.list', { limit: 5 })).resolves.toEqual({
      ok: true,
      value: 'from main',
    });
    expect(fake.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE, 'clients.list', { limit: 5 });

    fake.ipcRenderer.invoke.mockClear();
    for (const bad of [42, null, undefined, { toString: () => 'clients.list' }]) {
      await expect(api().invoke(bad, {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });
    }
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(fake.ipcRenderer.send).not.toHaveBeenCalled();
    expect(fake.ipcRenderer.sendSync).not.toHaveBeenCalled();
  });

  it('onProgress hands the listener only the payload and returns an unsubscribe function', () => {
    const listener = vi.fn();
    const unsubscribe = api().onProgress(listener);
    expect(fake.ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, forward] = fake.ipcRenderer.on.mock.calls[0] as [string, (...args: unknown[]) => void];
    expect(channel).toBe(IPC_PROGRESS);

    const payload = { jobId: 'j1', label: 'Loading', done: 1, total: 2, finished: false };
    forward({ sender: 'the IpcRendererEvent must not leak' }, payload);
    expect(listener).toHaveBeenCalledWith(payload);
    expect(listener.mock.calls[0]).toHaveLength(1);

    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledWith(IPC_PROGRESS, forward);
    expect(() => api().onProgress('not a function' as never)).toThrow(TypeError);
  });
});
