import { useState, type FormEvent } from 'react';
import type { AuthStatus, SignInPerson } from '../../../contract/auth.js';
import { PIN_HINT } from '../../../contract/domain.js';
import { call } from '../api.js';
import { PinInput } from './PinInput.js';
import { useSecondsLeft, waitInWords } from './useWait.js';
import '../styles/auth.css';

interface Props {
  status: AuthStatus;
  onStatus: (status: AuthStatus) => void;
}

/** The first screen: pick your name, type your PIN (or choose one at your first sign-in). */
export function SignInPage({ status, onStatus }: Props) {
  const people = status.people;
  const [chosenId, setChosenId] = useState<string>(() => {
    const firstAllowed = people.find((p) => allowed(status, p));
    return people.length === 1 && firstAllowed ? firstAllowed.id : '';
  });
  const chosen = people.find((p) => p.id === chosenId) ?? null;

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {status.clinicName && <p className="sign-in-clinic">{status.clinicName}</p>}
      {status.managerPinNeeded && (
        <div className="notice" role="note">
          <p>
            NeedleLog now asks everyone for a PIN. A manager signs in first and chooses theirs; then everyone
            else chooses their own PIN the first time they sign in.
          </p>
        </div>
      )}
      <fieldset className="sign-in-people">
        <legend>Who are you?</legend>
        {people.map((p) => (
          <label key={p.id} className={allowed(status, p) ? 'person' : 'person is-disabled'}>
            <input
              type="radio"
              name="sign-in-person"
              value={p.id}
              checked={chosenId === p.id}
              disabled={!allowed(status, p)}
              onChange={() => setChosenId(p.id)}
            />
            <span className="person-name">{p.name}</span>
            <span className="person-meta">
              {[p.role === 'manager' ? 'Manager' : '', p.hasPin ? '' : 'no PIN yet']
                .filter(Boolean)
                .join(' · ')}
            </span>
          </label>
        ))}
      </fieldset>
      {chosen &&
        (chosen.hasPin ? (
          <PinForm key={chosen.id} person={chosen} onStatus={onStatus} />
        ) : (
          <ChoosePinForm key={chosen.id} person={chosen} onStatus={onStatus} />
        ))}
      {status.demoPins && (
        <aside className="sign-in-demo" aria-labelledby="demo-pins-title">
          <h2 id="demo-pins-title">Demo clinic PINs</h2>
          <ul>
            {status.demoPins.map((d) => (
              <li key={d.name}>
                {d.name}: <code>{d.pin}</code>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </section>
  );
}

function allowed(status: AuthStatus, p: SignInPerson): boolean {
  return !status.managerPinNeeded || p.role === 'manager';
}

/** The PIN of someone who has one; after too many wrong ones, the wait is shown and counted down. */
export function PinForm({
  person,
  onStatus,
  submitLabel = 'Sign in',
  unlock = false,
}: {
  person: { id: string; name: string; waitUntil?: string | null };
  onStatus: (status: AuthStatus) => void;
  submitLabel?: string;
  unlock?: boolean;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState<string | null>(person.waitUntil ?? null);
  const waiting = useSecondsLeft(waitUntil);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || waiting > 0) return;
    if (pin === '') {
      setError('Type your PIN.');
      return;
    }
    setBusy(true);
    const reply = unlock
      ? await call('auth.unlock', { pin })
      : await call('auth.signIn', { practitionerId: person.id, pin });
    setBusy(false);
    setPin('');
    if (reply.ok) {
      onStatus(reply.value);
      return;
    }
    setError(reply.error.message);
    // The wait, if one started, is on the person's entry.
    const status = await call('auth.status', {});
    if (status.ok) {
      const wait = status.value.people.find((p) => p.id === person.id)?.waitUntil ?? null;
      setWaitUntil(wait);
      // The wait says it all, and nothing stale is left once it is over.
      if (wait) setError(undefined);
    }
  }

  return (
    <form className="pin-form" noValidate onSubmit={(e) => void submit(e)}>
      <PinInput
        id="pin"
        label="PIN"
        value={pin}
        onChange={setPin}
        error={waiting > 0 ? undefined : error}
        autoFocus
        autoComplete="current-password"
      />
      {waiting > 0 && (
        <p className="pin-wait" role="alert">
          Too many wrong PINs for {person.name}. Wait {waitInWords(waiting)} before the next try.
        </p>
      )}
      <button type="submit" className="button primary large" disabled={busy || waiting > 0}>
        {busy ? 'Checking…' : submitLabel}
      </button>
    </form>
  );
}

/** First sign-in of someone without a PIN: they choose one (twice) and are signed in. */
function ChoosePinForm({
  person,
  onStatus,
}: {
  person: SignInPerson;
  onStatus: (status: AuthStatus) => void;
}) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<{ field: 'pin' | 'again'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (pin !== again) {
      setError({ field: 'again', message: 'The two PINs are not the same.' });
      return;
    }
    setBusy(true);
    const reply = await call('auth.setPin', { practitionerId: person.id, pin });
    setBusy(false);
    if (reply.ok) onStatus(reply.value);
    else setError({ field: 'pin', message: reply.error.message });
  }

  return (
    <form className="pin-form" noValidate onSubmit={(e) => void submit(e)}>
      <p>
        {person.name}, this is your first sign-in: choose your PIN. Keep it to yourself; a manager can reset
        it if you forget it.
      </p>
      <PinInput
        id="pin"
        label="PIN"
        value={pin}
        onChange={setPin}
        hint={PIN_HINT}
        error={error?.field === 'pin' ? error.message : undefined}
        autoFocus
        autoComplete="new-password"
      />
      <PinInput
        id="pin-again"
        label="Repeat PIN"
        value={again}
        onChange={setAgain}
        error={error?.field === 'again' ? error.message : undefined}
        autoComplete="new-password"
      />
      <button type="submit" className="button primary large" disabled={busy}>
        {busy ? 'Saving…' : 'Set PIN and sign in'}
      </button>
    </form>
  );
}
