import { useEffect, useState } from 'react';

/** The live clock for the timers: ticks every second while one runs, reading `Date.now()`. */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    const handle = window.setInterval(tick, 1000);
    const first = window.setTimeout(tick, 0);
    return () => {
      window.clearInterval(handle);
      window.clearTimeout(first);
    };
  }, [running]);
  return now;
}
