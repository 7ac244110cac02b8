/** The numbing and procedure timers' readings. */

/** Whole minutes between a start and now, to the nearest minute, never negative. */
export function elapsedMinutes(startedAt: number, now: number): number {
  return Math.max(0, Math.round((now - startedAt) / 60_000));
}

/** "4:05" (minutes:seconds) or "1:02:09" past an hour, for the live display. */
export function formatElapsed(startedAt: number, now: number): string {
  const total = Math.max(0, Math.floor((now - startedAt) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
