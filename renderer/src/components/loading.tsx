import { useEffect, useState } from 'react';
import { href } from '../router.js';

/** A record page's data: still coming, refused with the host's message, or there. */
export type Load<T> =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/** Runs `load` whenever `key` changes; a result arriving after the key moved on is dropped. */
export function useLoad<T>(load: (key: string) => Promise<Load<T>>, key: string): Load<T> {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    void load(key).then((result) => {
      if (current) setState(result);
    });
    return () => {
      current = false;
    };
  }, [load, key]);
  return state;
}

/** What a page says when its record cannot be opened (deleted, or a stale link), with a way back. */
export function LoadFailure({ what, message }: { what: string; message: string }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        This {what} could not be opened: {message}
      </p>
      <a className="button" href={href({ name: 'clients' })}>
        Back to clients
      </a>
    </div>
  );
}
