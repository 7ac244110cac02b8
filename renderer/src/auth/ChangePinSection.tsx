import { useState, type FormEvent } from 'react';
import { PIN_HINT } from '../../../contract/domain.js';
import { useChangePin } from '../data/clinic.js';
import { PinInput } from './PinInput.js';

/** Settings → Your PIN: the signed-in practitioner changes their own PIN. */
export function ChangePinSection() {
  const changePin = useChangePin();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const [status, setStatus] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus('');
    if (pin !== again) {
      setError({ field: 'again', message: 'The two new PINs are not the same.' });
      return;
    }
    const reply = await changePin({ currentPin: current, pin });
    if (reply.ok) {
      setError(null);
      setCurrent('');
      setPin('');
      setAgain('');
      setStatus('Your PIN was changed.');
    } else {
      setError({ field: reply.error.field ?? 'pin', message: reply.error.message });
    }
  }

  const errorFor = (f: string) => (error?.field === f ? error.message : undefined);
  return (
    <section className="card" aria-labelledby="your-pin-title">
      <h2 id="your-pin-title">Your PIN</h2>
      <form noValidate onSubmit={(e) => void submit(e)} className="settings-form">
        <div className="form-grid">
          <PinInput
            id="current-pin"
            label="Current PIN"
            value={current}
            onChange={setCurrent}
            error={errorFor('currentPin')}
            autoComplete="current-password"
          />
          <PinInput
            id="new-pin"
            label="New PIN"
            value={pin}
            onChange={setPin}
            hint={PIN_HINT}
            error={errorFor('pin')}
            autoComplete="new-password"
          />
          <PinInput
            id="new-pin-again"
            label="Repeat new PIN"
            value={again}
            onChange={setAgain}
            error={errorFor('again')}
            autoComplete="new-password"
          />
        </div>
        <div className="inline-actions">
          <button type="submit" className="button primary">
            Change PIN
          </button>
          <p role="status" className="saved-note">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}
