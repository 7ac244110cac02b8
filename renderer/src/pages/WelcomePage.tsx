import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../contract/result.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';

interface Props {
  /** The clinic and its first practitioner are saved. */
  onDone: () => void;
  onLoadDemo: () => void;
  demoBusy: boolean;
}

type FieldName = 'clinicName' | 'name' | 'credentials';

/** First run: the clinic's name and the first practitioner, who becomes the current one. */
export function WelcomePage({ onDone, onLoadDemo, demoBusy }: Props) {
  const [clinicName, setClinicName] = useState('');
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState('');
  const [error, setError] = useState<(ApiError & { field?: FieldName }) | null>(null);
  const [saving, setSaving] = useState(false);
  // A practitioner created by an attempt whose settings save failed is reused, not created twice.
  const createdId = useRef<string | null>(null);

  useEffect(() => {
    document.getElementById('welcome-clinicName')?.focus();
  }, []);

  useEffect(() => {
    if (error?.field) document.getElementById(`welcome-${error.field}`)?.focus();
  }, [error]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    if (clinicName.trim() === '') {
      setError({ code: 'invalid_input', field: 'clinicName', message: 'Clinic name is required.' });
      return;
    }
    setSaving(true);
    let practitionerId = createdId.current;
    if (practitionerId === null) {
      const created = await call('practitioners.create', { name, credentials });
      if (!created.ok) {
        setSaving(false);
        const field = created.error.field === 'credentials' ? 'credentials' : 'name';
        setError({ ...created.error, message: created.error.message.replace(/^Name\b/, 'Your name'), field });
        return;
      }
      practitionerId = created.value.id;
      createdId.current = practitionerId;
    }
    const saved = await call('settings.update', { clinicName, currentPractitionerId: practitionerId });
    setSaving(false);
    if (!saved.ok) {
      setError({ ...saved.error, field: 'clinicName' });
      return;
    }
    onDone();
  }

  const errorFor = (f: FieldName) => (error?.field === f ? error.message : undefined);

  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to NeedleLog</h1>
      <p className="welcome-lead">
        NeedleLog keeps your microneedling records on this computer: clients, treatment courses and every
        session. Start with your clinic’s name and your own; colleagues can be added later in Settings.
      </p>
      <form noValidate onSubmit={submit} className="welcome-form">
        {error && (
          <div role="alert" className="form-summary">
            <p className="form-summary-title">NeedleLog could not be set up yet.</p>
            <p>{error.message}</p>
          </div>
        )}
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
