import { useState, type FormEvent } from 'react';
import { PIN_HINT } from '../../../contract/domain.js';
import { useChangePin } from '../data/clinic.js';
import { SaveRow } from '../forms/SaveRow.js';
import { useForm } from '../forms/useForm.js';
import { PinInput } from './PinInput.js';

/** Settings → Your PIN: the signed-in practitioner changes their own PIN. */
export function ChangePinSection() {
  const changePin = useChangePin();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const form = useForm();
  const [status, setStatus] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setStatus('');
    // A refusal that names no field is about the new PIN (too short, the same as before).
    const saved = await form.save(
      'auth.changePin',
      { currentPin: current, pin },
      {
        fieldOf: (f) => (f === 'currentPin' ? f : 'pin'),
        also: pin === again ? [] : [{ field: 'again', message: 'The two new PINs are not the same.' }],
        send: changePin,
      },
    );
    if (!saved) return;
    setCurrent('');
    setPin('');
    setAgain('');
    setStatus('Your PIN was changed.');
  }

  const { errorFor } = form;
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
        <SaveRow label="Change PIN" saving={form.saving} status={status} />
      </form>
    </section>
  );
}
