import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
const CHECK_EVERY_MS = 5_000;

/**
 * Locks after `minutes` without keyboard, mouse or touch (null: not signed in, no timer). It reads
 * the clock at each check instead of trusting one long timeout, so a sleeping laptop or a busy
 * page cannot stretch the wait.
 */
export function useIdleLock(minutes: number | null, lock: () => void): void {
  const last = useRef(0);
  const lockRef = useRef(lock);
  useEffect(() => {
    lockRef.current = lock;
  }, [lock]);

  useEffect(() => {
    if (minutes === null) return;
    last.current = Date.now();
    const seen = () => {
      last.current = Date.now();
    };
    for (const name of ACTIVITY) window.addEventListener(name, seen, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) lockRef.current();
    }, CHECK_EVERY_MS);
    return () => {
      for (const name of ACTIVITY) window.removeEventListener(name, seen, { capture: true });
      window.clearInterval(timer);
    };
  }, [minutes]);
}
