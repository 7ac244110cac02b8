import { href } from '../router.js';

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
