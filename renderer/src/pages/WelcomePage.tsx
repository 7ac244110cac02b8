import { useEffect, useState, type FormEvent } from 'react';
import type { AuthStatus } from '../../../contract/auth.js';
import { PIN_HINT } from '../../../contract/domain.js';
import { ErrorSummary } from '../forms/ErrorSummary.js';
import type { FormError } from '../forms/formErrors.js';
import { useForm } from '../forms/useForm.js';
import { PinInput } from '../auth/PinInput.js';
import { Field } from '../components/Field.js';

interface Props {
  /** The clinic and its first practitioner (a manager, signed in) are saved. */
  onDone: (status: AuthStatus) => void;
  onLoadDemo: () => void;
  demoBusy: boolean;
}

type FieldName = 'clinicName' | 'name' | 'credentials' | 'pin' | 'pinAgain';

/** First run: the clinic's name and the first practitioner, its manager, with their PIN. */
export function WelcomePage({ onDone, onLoadDemo, demoBusy }: Props) {
  const [clinicName, setClinicName] = useState('');
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const form = useForm();
  const { saving } = form;

  useEffect(() => {
    document.getElementById('welcome-clinicName')?.focus();
  }, []);

  useEffect(() => {
    const first = form.errors.find((e) => e.field !== null)?.field;
    if (first) document.getElementById(`welcome-${first}`)?.focus();
  }, [form.errors]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    // The contract lets a clinic keep an empty name (Settings); at first run it is asked for.
    const also: FormError[] = [];
    if (clinicName.trim() === '') also.push({ field: 'clinicName', message: 'Clinic name is required.' });
    if (pin !== pinAgain) also.push({ field: 'pinAgain', message: 'The two PINs are not the same.' });
    // One step on the main side: the clinic, its manager and their PIN land together, and they are signed in.
    const saved = await form.save(
      'auth.setup',
      { clinicName, name, credentials, pin },
      { also, fieldOf: (f) => (f === 'clinicName' || f === 'credentials' || f === 'pin' ? f : 'name') },
    );
    if (!saved) return;
    onDone(saved.value);
  }

  const errorFor = (f: FieldName) => form.errorFor(f);

  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to NeedleLog</h1>
      <p className="welcome-lead">
        NeedleLog keeps your microneedling records on this computer: clients, treatment courses and every
        session. Start with your clinic’s name, your own and your PIN: you are the clinic’s manager, and you
        add colleagues, each with their own PIN, in Settings.
      </p>
      <form noValidate onSubmit={(e) => void submit(e)} className="welcome-form">
        <ErrorSummary
          title="NeedleLog could not be set up yet."
          errors={form.errors}
          idOf={(f) => `welcome-${f}`}
        />
        <Field id="welcome-clinicName" label="Clinic name" required error={errorFor('clinicName')}>
          {(a) => (
            <input
              {...a}
              type="text"
              autoComplete="organization"
              value={clinicName}
              onChange={(e) => setClinicName(e.target.value)}
            />
          )}
        </Field>
        <Field id="welcome-name" label="Your name" required error={errorFor('name')}>
          {(a) => (
            <input
              {...a}
              type="text"
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          id="welcome-credentials"
          label="Credentials"
          hint="Optional, e.g. RN, aesthetic nurse prescriber"
          error={errorFor('credentials')}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              autoComplete="off"
              value={credentials}
              onChange={(e) => setCredentials(e.target.value)}
            />
          )}
        </Field>
        <PinInput
          id="welcome-pin"
          label="PIN"
          value={pin}
          onChange={setPin}
          hint={`You sign in with it. ${PIN_HINT}`}
          error={errorFor('pin')}
          autoComplete="new-password"
        />
        <PinInput
          id="welcome-pinAgain"
          label="Repeat PIN"
          value={pinAgain}
          onChange={setPinAgain}
          error={errorFor('pinAgain')}
          autoComplete="new-password"
        />
        <div className="welcome-actions">
          <button type="submit" className="button primary large" disabled={saving || demoBusy}>
            {saving ? 'Setting up…' : 'Start using NeedleLog'}
          </button>
        </div>
      </form>
      <aside className="welcome-demo" aria-labelledby="welcome-demo-title">
        <h2 id="welcome-demo-title">Just looking around?</h2>
        <p>
          The demo clinic fills NeedleLog with made-up clients, courses and sessions, so you can try every
          screen without typing anything. Use it on a fresh copy only: it never mixes with real records.
        </p>
        <button type="button" className="button" onClick={onLoadDemo} disabled={demoBusy || saving}>
          Explore with a demo clinic
        </button>
      </aside>
    </section>
  );
}
