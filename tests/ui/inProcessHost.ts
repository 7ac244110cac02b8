import type { NeedleLogApi } from '../../contract/api.js';
import type { ProgressEvent, Reply } from '../../contract/result.js';
import { dispatch } from '../../electron/api/dispatch.js';
import type { HandlerDeps } from '../../electron/api/handlers.js';
import { createJobs } from '../../electron/api/jobs.js';
import type { Caller } from '../../electron/api/signIn.js';
import type { TestClinic } from '../support/clinic.js';

/**
 * The renderer's `window.needlelog`, answered in this process by the real dispatcher over a real
 * clinic database: what the Electron preload does over IPC, with a JSON round trip standing in for
 * the structured clone, so a component test goes from a click to the SQL and back.
 */
export type InProcessHost = NeedleLogApi & { calls: string[]; logged: string[] };

export function inProcessHost(
  clinic: TestClinic,
  practitionerId: string,
  deps: HandlerDeps = { services: clinic.services, jobs: createJobs() },
): InProcessHost {
  const caller: Caller = { session: { practitionerId, locked: false } };
  const listeners = new Set<(event: ProgressEvent) => void>();
  const calls: string[] = [];
  // What the host would log: an internal error. Tests expect none.
  const logged: string[] = [];
  const log = (message: string, err?: unknown) => logged.push(`${message}: ${String(err)}`);
  return {
    calls,
    logged,
    async invoke(channel, input) {
      calls.push(channel);
      const reply = await dispatch(deps, channel, JSON.parse(JSON.stringify(input ?? {})), log, caller);
      return JSON.parse(JSON.stringify(reply)) as Reply<never>;
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Installs one `window.needlelog` for the whole test file (the renderer resolves its host once) and
 * returns the switch that points it at each test's own clinic.
 */
export function installInProcessHost(): {
  use(clinic: TestClinic, practitionerId: string, deps?: HandlerDeps): InProcessHost;
} {
  let current: InProcessHost | null = null;
  const none = () => new Error('No clinic: call use(clinic, practitionerId) in beforeEach.');
  const api: NeedleLogApi = {
    invoke(channel, input) {
      if (!current) throw none();
      return current.invoke(channel, input);
    },
    onProgress(listener) {
      if (!current) throw none();
      return current.onProgress(listener);
    },
  };
  // Where the Electron preload puts it (read-only to the renderer).
  Object.defineProperty(window, 'needlelog', { value: api, configurable: true });
  return {
    use(clinic, practitionerId, deps) {
      current = inProcessHost(clinic, practitionerId, deps);
      return current;
    },
  };
}
