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
