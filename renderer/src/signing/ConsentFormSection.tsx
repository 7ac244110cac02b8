import { useState, type FormEvent } from 'react';
import type { Settings } from '../../../contract/schemas.js';
import { Field } from '../components/Field.js';
import { fieldIn } from '../forms/fieldIn.js';
import { FormAlert } from '../forms/FormAlert.js';
import { requiredNumber } from '../forms/numberText.js';
import { SaveRow } from '../forms/SaveRow.js';
import { useSettingsSave } from '../pages/settings/useSettingsSave.js';
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
  const { form, status, save } = useSettingsSave(onSaved);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await save(
      {
        consentTemplate: { title, body },
        requireSignedConsent: required,
        signReminderDays: requiredNumber(days),
      },
      (saved) => {
        const v = saved.consentTemplate.version;
        return v === template.version ? 'Saved.' : `Saved as version ${v} of the consent form.`;
      },
      fieldIn(['consentTemplate.title', 'consentTemplate.body', 'signReminderDays']),
    );
  }

  const errorOf = form.errorFor;
  return (
    <section className="card" aria-labelledby="consent-form-title">
      <h2 id="consent-form-title">Consent form</h2>
      <p className="field-hint">
        Version {template.version}
        {template.updatedAt ? `, changed ${formatInstant(template.updatedAt)}` : ' (as NeedleLog ships it)'}.
        The client and the practitioner sign it on screen for each course; a change is saved as a new version,
        and forms signed earlier keep the text they were signed on.
      </p>
      <form noValidate onSubmit={(e) => void submit(e)} className="stack-form">
        <FormAlert errors={form.errors} />
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
        <SaveRow label="Save consent form" saving={form.saving} status={status} />
      </form>
    </section>
  );
}
