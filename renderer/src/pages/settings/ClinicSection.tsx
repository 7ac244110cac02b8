import { useState, type FormEvent } from 'react';
import {
  IDLE_LOCK_MINUTES,
  NUMBING_AGENT_KEYS,
  NUMBING_AGENTS,
  type NumbingAgent,
} from '../../../../contract/domain.js';
import { canonicalLocale, formatterFor, runtimeLocale } from '../../../../contract/format.js';
import type { Settings } from '../../../../contract/schemas.js';
import { Field } from '../../components/Field.js';
import { LabelOptions } from '../../components/LabelOptions.js';
import { fieldIn } from '../../forms/fieldIn.js';
import { FormAlert } from '../../forms/FormAlert.js';
import { requiredNumber } from '../../forms/numberText.js';
import { SaveRow } from '../../forms/SaveRow.js';
import { useSettingsSave } from './useSettingsSave.js';

/** Locales offered for the clinic's dates and numbers; any other valid tag saved earlier is kept. */
const LOCALE_CHOICES = [
  'en-GB',
  'en-IE',
  'en-US',
  'en-CA',
  'en-AU',
  'en-NZ',
  'fr-FR',
  'de-DE',
  'es-ES',
  'it-IT',
  'nl-NL',
  'pt-PT',
  'pt-BR',
  'sv-SE',
  'da-DK',
  'nb-NO',
  'fi-FI',
  'pl-PL',
];

/** "English (United Kingdom)", in that language's own words where the runtime knows them. */
function localeName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** How a locale writes a date and a depth: "14 Mar 2026, 0.25 mm". */
function localeSample(tag: string): string {
  const f = formatterFor(canonicalLocale(tag) ?? runtimeLocale());
  return `${f.date('2026-03-14')}, ${f.mm(0.25)}`;
}

const CLINIC_FIELDS = ['clinicName', 'defaultNumbingAgent', 'locale', 'idleLockMinutes'];

/** Settings → Clinic: its name, the default numbing agent, the date and number format, the idle lock. */
export function ClinicSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [clinicName, setClinicName] = useState(settings.clinicName);
  const [agent, setAgent] = useState<NumbingAgent>(settings.defaultNumbingAgent);
  const [locale, setLocale] = useState(settings.locale);
  const [idle, setIdle] = useState(String(settings.idleLockMinutes));
  const { form, status, save } = useSettingsSave(onSaved);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await save(
      { clinicName, defaultNumbingAgent: agent, locale, idleLockMinutes: requiredNumber(idle) },
      'Clinic settings saved.',
      fieldIn(CLINIC_FIELDS),
    );
  }

  return (
    <section className="card" aria-labelledby="clinic-title">
      <h2 id="clinic-title">Clinic</h2>
      <form noValidate onSubmit={(e) => void submit(e)} className="settings-form">
        <div className="form-grid">
          <Field id="settings-clinicName" label="Clinic name" error={form.errorFor('clinicName')}>
            {(a) => (
              <input {...a} type="text" value={clinicName} onChange={(e) => setClinicName(e.target.value)} />
            )}
          </Field>
          <Field
            id="settings-defaultNumbingAgent"
            label="Default numbing agent"
            hint="Filled in on a course’s first session"
            error={form.errorFor('defaultNumbingAgent')}
          >
            {(a) => (
              <select {...a} value={agent} onChange={(e) => setAgent(e.target.value as NumbingAgent)}>
                <LabelOptions labels={NUMBING_AGENTS} keys={NUMBING_AGENT_KEYS} />
              </select>
            )}
          </Field>
          <Field
            id="settings-locale"
            label="Date and number format"
            hint="Used on every screen and in PDF reports; CSV files and bundles keep ISO dates (2026-03-14)"
            error={form.errorFor('locale')}
          >
            {(a) => (
              <select {...a} value={locale} onChange={(e) => setLocale(e.target.value)}>
                <option value="">
                  As this computer ({localeSample(settings.systemLocale || runtimeLocale())})
                </option>
                {LOCALE_CHOICES.filter((tag) => canonicalLocale(tag) !== null).map((tag) => (
                  <option key={tag} value={tag}>
                    {localeName(tag)} ({localeSample(tag)})
                  </option>
                ))}
                {locale !== '' && !LOCALE_CHOICES.includes(locale) && (
                  <option value={locale}>
                    {localeName(locale)} ({localeSample(locale)})
                  </option>
                )}
              </select>
            )}
          </Field>
          <Field
            id="settings-idleLockMinutes"
            label="Lock after (minutes)"
            hint={`Without keyboard or mouse, the screen locks after this many minutes (${IDLE_LOCK_MINUTES.min}–${IDLE_LOCK_MINUTES.max})`}
            error={form.errorFor('idleLockMinutes')}
          >
            {(a) => (
              <input
                {...a}
                type="number"
                min={IDLE_LOCK_MINUTES.min}
                max={IDLE_LOCK_MINUTES.max}
                step={1}
                value={idle}
                onChange={(e) => setIdle(e.target.value)}
              />
            )}
          </Field>
        </div>
        <FormAlert errors={form.errors} />
        <SaveRow label="Save clinic settings" saving={form.saving} status={status} />
      </form>
    </section>
  );
}
