import { powerMonitor } from 'electron';

/** How long the window gets to save its drafts and lock itself before the main side locks it. */
export const LOCK_GRACE_MS = 1_500;

/**
 * Locks NeedleLog when the computer does: the OS screen lock and suspend ask the window to lock
 * (it saves drafts first), and the main side locks every session itself after a short grace, or at
 * once on resume, whatever the window did. Returns the function that stops listening.
 */
export function lockOnSystemLock(askWindow: () => void, lockNow: (reason: string) => void): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const soon = (reason: string) => () => {
    askWindow();
    const t = setTimeout(() => {
      timers.delete(t);
      lockNow(reason);
    }, LOCK_GRACE_MS);
    timers.add(t);
  };
  const now = (reason: string) => () => lockNow(reason);
  const listeners: Array<[string, () => void]> = [
    ['lock-screen', soon('screen locked')],
    ['suspend', soon('suspend')],
    ['resume', now('resume')],
  ];
  for (const [event, fn] of listeners) powerMonitor.on(event as 'suspend', fn);
  return () => {
    for (const [event, fn] of listeners) powerMonitor.off(event as 'suspend', fn);
    for (const t of timers) clearTimeout(t);
  };
}
