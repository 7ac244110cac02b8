import { z } from 'zod';

/** The header's sync badge and Settings → Sync: where this room stands with the clinic's relay. */
export const SyncStatus = z.object({
  /** unpaired: no relay; synced: nothing waiting; waiting: changes not sent yet; offline: relay unreachable. */
  state: z.enum(['unpaired', 'syncing', 'synced', 'waiting', 'offline', 'error']),
  relayUrl: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** Changes made in this room since its last completed round. */
  waiting: z.number(),
  lastSyncedAt: z.string().nullable(),
  /** The sentence to show for offline and error. */
  message: z.string().nullable(),
  /** Changes from other rooms that would have rewritten a signed record, refused since the app started. */
  refused: z.number(),
});
export type SyncStatus = z.output<typeof SyncStatus>;

/** Settings → Sync, "Pair with clinic": what the relay printed (or the manager's Settings showed). */
export const SyncPair = z.strictObject({
  relayUrl: z
    .string()
    .trim()
    .regex(/^https:\/\/[^\s/]+(:\d+)?\/?$/, {
      error: 'The relay address looks like https://192.168.1.20:8443.',
    }),
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$/, {
      error: 'The pairing code has 12 letters and digits, like K7QM-2XWD-P4HN.',
    }),
  name: z
    .string()
    .trim()
    .min(1, { error: 'Name this room, so the manager can tell the rooms apart.' })
    .max(100),
  fingerprint: z
    .string()
    .trim()
    .regex(/^([0-9A-Fa-f]{2}:?){32}$/, {
      error: "The fingerprint is the relay's 64 hexadecimal digits (with colons).",
    })
    .optional(),
});
export type SyncPair = z.input<typeof SyncPair>;

/** A room (device) paired with the relay that runs on this computer. */
export const RelayDevice = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastSeen: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Settings → Sync on the manager's computer: the clinic's relay, when it runs here. */
export const RelayHere = z.object({
  running: z.boolean(),
  url: z.string().nullable(),
  fingerprint: z.string().nullable(),
  /** The addresses of this computer on the clinic network (and loopback), to choose one from. */
  addresses: z.array(z.string()),
  devices: z.array(RelayDevice),
  /** Why a relay set up here is not running (its port taken, its address gone). */
  message: z.string().nullable(),
});
export type RelayHere = z.output<typeof RelayHere>;

export const RelayStart = z.strictObject({
  host: z
    .string()
    .trim()
    .regex(/^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]+$/, { error: 'Choose one of this computer’s addresses.' }),
  /** 0: any free port (kept once chosen). */
  port: z.coerce
    .number({ error: 'The port is a number, like 8443.' })
    .int({ error: 'The port is a whole number, like 8443.' })
    .refine((p) => p === 0 || (p >= 1024 && p <= 65535), {
      error: 'Choose a port from 1024 to 65535 (8443 is usual).',
    }),
  name: z
    .string()
    .trim()
    .min(1, { error: 'Name this computer’s room, so the rooms can tell each other apart.' })
    .max(100),
});
export type RelayStart = z.input<typeof RelayStart>;

export const RelayCode = z.object({ code: z.string(), expiresAt: z.string() });
export type RelayCode = z.output<typeof RelayCode>;

export const RelayRevoke = z.strictObject({ deviceId: z.string().min(1).max(100) });
export type RelayRevoke = z.input<typeof RelayRevoke>;
