import {
  startBrowserHost,
  type BrowserHost,
  type BrowserHostOptions,
} from '../../electron/host/browserHost.js';
import { TEST_PASSPHRASE, testKeyFor } from './clinic.js';

/**
 * The real browser host over a test clinic, unlocked as the page would unlock it (the passphrase
 * through `clinic.unlock`). The data directory gets the test clinic's key file first.
 */
export async function startTestHost(options: BrowserHostOptions): Promise<BrowserHost> {
  testKeyFor(options.dataDir);
  const host = await startBrowserHost(options);
  const res = await fetch(`${host.origin}/api/clinic.unlock`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ secret: TEST_PASSPHRASE }),
  });
  if (res.status !== 200) {
    await host.close();
    throw new Error(`The test host did not unlock: ${res.status} ${await res.text()}`);
  }
  return host;
}
