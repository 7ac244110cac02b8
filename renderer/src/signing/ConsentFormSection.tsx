import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../contract/result.js';
import type { Settings } from '../../../contract/schemas.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';
import { formatInstant } from '../format.js';

/**
 * Settings → Consent form: the text clients sign per course (each saved change is a new version;
 * signed forms keep the text they were signed on), whether a session may be logged without it,
 * and after how many days unsigned sessions are listed for their practitioner.
 */
export function ConsentFormSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const template = settings.consentTemplate;
  const [title, setTitle] = useState(template.title);
  const [body, setBody] = useState(template.body);
  const [required, setRequired] = useState(settings.requireSignedConsent);
  const [days, setDays] = useState(String(settings.signReminderDays));
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    const reply = await call('settings.update', {
      consentTemplate: { title, body },
      requireSignedConsent: required,
      signReminderDays: days.trim() === '' ? Number.NaN : Number(days),
    });
    setSaving(false);
    if (reply.ok) {
      setError(null);
      const v = reply.value.consentTemplate.version;
      setStatus(v === template.version ? 'Saved.' : `Saved as version ${v} of the consent form.`);
      onSaved();
    } else {
      setError(reply.error);
      setStatus('');
    }
  }

  const errorOf = (field: string) => (error?.field?.startsWith(field) ? error.message : undefined);
  return (
    <section className="card" aria-labelledby="consent-form-title">
      <h2 id="consent-form-title">Consent form</h2>
      <p className="field-hint">
        Version {template.version}
        {template.updatedAt ? `, changed ${formatInstant(template.updatedAt)}` : ' (as NeedleLog ships it)'}.
        The client and the practitioner sign it on screen for each course; a change is saved as a new version,
        and forms signed earlier keep the text they were signed on.
      </p>
      <form noValidate onSubmit={submit} className="stack-form">
        {error && !error.field && (
          <p role="alert" className="field-error">
            {error.message}
          </p>
        )}
        <Field id="consent-title" label="Form title" error={errorOf('consentTemplate.title')}>
          {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field
          id="consent-body"
          label="Form text"
          hint="The procedure, its risks, the aftercare and what photos may be used for."
          error={errorOf('consentTemplate.body')}
        >
          {(a) => <textarea {...a} rows={12} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
          Ask for signed consent before a session is logged (a session without it needs a reason)
        </label>
        <Field
          id="sign-reminder-days"
          label="List unsigned sessions after (days)"
          hint="Each practitioner sees their sessions still unsigned after this many days on the Clients page."
          error={errorOf('signReminderDays')}
        >
          {(a) => (
            <input
              {...a}
              className="short-input"
              inputMode="numeric"
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          )}
        </Field>
        <div className="inline-actions">
          <button type="submit" className="button primary" disabled={saving}>
            Save consent form
          </button>
          <p role="status" className="saved-note">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}
