import type { AuthStatus } from '../../../contract/auth.js';
import { call } from '../api.js';
import { PinForm } from './SignInPage.js';
import '../styles/auth.css';

/**
 * The locked screen: who is signed in and their PIN, nothing else. Pages are unmounted while it
 * shows, so no client name or photo is anywhere in the DOM.
 */
export function LockScreen({ status, onStatus }: { status: AuthStatus; onStatus: (s: AuthStatus) => void }) {
  const who = status.practitioner;
  if (!who) return null;
  const entry = status.people.find((p) => p.id === who.id);
  return (
    <section className="sign-in lock-screen" aria-labelledby="lock-title">
      <h1 id="lock-title">NeedleLog is locked</h1>
      <p>
        Signed in: <strong>{who.name}</strong>. Type your PIN to carry on where you left off.
      </p>
      <PinForm
        person={{ id: who.id, name: who.name, waitUntil: entry?.waitUntil ?? null }}
        onStatus={onStatus}
        submitLabel="Unlock"
        unlock
      />
      <p className="lock-switch">
        Not {who.name}?{' '}
        <button
          type="button"
          className="button"
          onClick={() =>
            void call('auth.signOut', {}).then((r) => {
              if (r.ok) onStatus(r.value);
            })
          }
        >
          Switch practitioner
        </button>
      </p>
    </section>
  );
}
