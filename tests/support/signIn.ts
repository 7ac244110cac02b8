import { putPin } from '../../db/pins.js';
import { hashPinSync } from '../../electron/services/pinHash.js';
import type { Services } from '../../electron/services/index.js';

/** The PIN test practitioners get (6 digits, the shortest allowed). */
export const TEST_PIN = '480211';

/** Gives a practitioner made through the services a PIN, as Settings → Practitioners would. */
export function givePin(services: Services, practitionerId: string, pin = TEST_PIN): void {
  putPin(services.ctx.db, practitionerId, hashPinSync(pin), services.ctx.now().toISOString());
}

/** One POST to a browser host's API with its secret; the reply as JSON. */
export async function hostCall<T = unknown>(
  host: { origin: string; secret: string },
  channel: string,
  input: unknown,
): Promise<{
  status: number;
  ok: boolean;
  value: T;
  error?: { code: string; message: string; field?: string };
}> {
  const res = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const json = (await res.json()) as { ok: boolean; value: T; error?: { code: string; message: string } };
  return { status: res.status, ...json };
}

/**
 * Signs the host's session in (it belongs to the launch secret, so every later call with the
 * secret is signed in): sets up an empty clinic with a manager, or signs in as `name` (default:
 * the first manager) with `pin` (default TEST_PIN).
 */
export async function signInHost(
  host: { origin: string; secret: string },
  as: { name?: string; clinicName?: string; pin?: string } = {},
): Promise<{ id: string; name: string; role: string }> {
  const status = await hostCall<{
    firstRun: boolean;
    people: { id: string; name: string; role: string }[];
  }>(host, 'auth.status', {});
  if (!status.ok) throw new Error(`auth.status: ${status.error?.message}`);
  const reply = status.value.firstRun
    ? await hostCall<{ practitioner: { id: string; name: string; role: string } }>(host, 'auth.setup', {
        clinicName: as.clinicName ?? 'Test Clinic',
        name: as.name ?? 'Test Manager',
        pin: TEST_PIN,
      })
    : await hostCall<{ practitioner: { id: string; name: string; role: string } }>(host, 'auth.signIn', {
        practitionerId: (as.name
          ? status.value.people.find((p) => p.name === as.name)
          : status.value.people.find((p) => p.role === 'manager')
        )?.id,
        pin: as.pin ?? TEST_PIN,
      });
  if (!reply.ok) throw new Error(`sign-in failed: ${reply.error?.message}`);
  return reply.value.practitioner;
}
