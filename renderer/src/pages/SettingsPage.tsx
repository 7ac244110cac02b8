import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  ZONES,
  DEFAULT_DEPTH_RANGES,
  DEFAULT_INDICATION_DEPTH_RANGES,
  INDICATIONS,
  NUMBING_AGENT_KEYS,
  NUMBING_AGENTS,
  ZONE_KEYS,
  type DepthRange,
  type Indication,
  type NumbingAgent,
  type Zone,
} from '../../../contract/domain.js';
import { canonicalLocale, formatterFor, runtimeLocale } from '../../../contract/format.js';
import type { ApiError } from '../../../contract/result.js';
import type { Practitioner, Settings } from '../../../contract/schemas.js';
import type { Shell } from '../App.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';
import { PlusIcon } from '../components/Icons.js';
import { BackupsSection } from './BackupsSection.js';
import { ActivityLogSection } from './ActivityLogSection.js';
import { PhotoSetsSection } from './PhotoSetsSection.js';
import { ConsentFormSection } from '../signing/ConsentFormSection.js';
import { ChangePinSection } from '../auth/ChangePinSection.js';
import { PinInput } from '../auth/PinInput.js';
import { PIN_HINT, IDLE_LOCK_MINUTES } from '../../../contract/domain.js';
import { SecuritySection } from './SecuritySection.js';

/**
 * Managers: clinic, practitioners and their PINs, depth ranges, photo sets, backups, the activity log.
 * Everyone: their own PIN.
 */
export function SettingsPage({ shell }: { shell: Shell }) {
  if (shell.who.role !== 'manager') {
    return (
      <div className="record-page settings-page">
        <h1>Settings</h1>
        <p className="notice" role="note">
          Clinic settings, practitioners, backups and the activity log are kept by a manager. Ask a manager to
          sign in to change them.
        </p>
        <ChangePinSection />
      </div>
    );
  }
  return (
    <div className="record-page settings-page">
      <h1>Settings</h1>
      <ClinicSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <PractitionersSection
        practitioners={shell.practitioners}
        currentId={shell.who.id}
        onChanged={shell.refreshClinic}
      />
      <DepthRangesSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <PhotoSetsSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <ConsentFormSection settings={shell.settings} onSaved={shell.refreshClinic} />
      <BackupsSection onRestored={shell.refreshClinic} />
      <ChangePinSection />
      <ActivityLogSection practitioners={shell.practitioners} />
      <SecuritySection />
    </div>
  );
}

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

function ClinicSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [clinicName, setClinicName] = useState(settings.clinicName);
  const [agent, setAgent] = useState<NumbingAgent>(settings.defaultNumbingAgent);
  const [locale, setLocale] = useState(settings.locale);
  const [idle, setIdle] = useState(String(settings.idleLockMinutes));
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    const idleLockMinutes = idle.trim() === '' ? Number.NaN : Number(idle);
    const reply = await call('settings.update', {
      clinicName,
      defaultNumbingAgent: agent,
      locale,
      idleLockMinutes,
    });
    setSaving(false);
    if (reply.ok) {
      setError(null);
      setStatus('Clinic settings saved.');
      onSaved();
    } else {
      setError(reply.error);
      setStatus('');
    }
  }

  return (
    <section className="card" aria-labelledby="clinic-title">
      <h2 id="clinic-title">Clinic</h2>
      <form noValidate onSubmit={submit} className="settings-form">
        <div className="form-grid">
          <Field
            id="settings-clinicName"
            label="Clinic name"
            error={error?.field === 'clinicName' ? error.message : undefined}
          >
            {(a) => (
              <input {...a} type="text" value={clinicName} onChange={(e) => setClinicName(e.target.value)} />
            )}
          </Field>
          <Field
            id="settings-defaultNumbingAgent"
            label="Default numbing agent"
            hint="Filled in on a course’s first session"
            error={error?.field === 'defaultNumbingAgent' ? error.message : undefined}
          >
            {(a) => (
              <select {...a} value={agent} onChange={(e) => setAgent(e.target.value as NumbingAgent)}>
                {NUMBING_AGENT_KEYS.map((k) => (
                  <option key={k} value={k}>
                    {NUMBING_AGENTS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id="settings-locale"
            label="Date and number format"
            hint="Used on every screen and in PDF reports; CSV files and bundles keep ISO dates (2026-03-14)"
            error={error?.field === 'locale' ? error.message : undefined}
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
            error={error?.field === 'idleLockMinutes' ? error.message : undefined}
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
        {error && !error.field && (
          <p role="alert" className="field-error">
            {error.message}
          </p>
        )}
        <div className="inline-actions">
          <button type="submit" className="button primary" disabled={saving}>
            Save clinic settings
          </button>
          <p role="status" className="saved-note">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}

function PractitionersSection({
  practitioners,
  currentId,
  onChanged,
}: {
  practitioners: readonly Practitioner[];
  currentId: string | null;
  onChanged: () => void;
}) {
  const [name, setName] = useState('');
  const [credentials, setCredentials] = useState('');
  const [role, setRole] = useState<Practitioner['role']>('practitioner');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [resettingId, setResettingId] = useState<string | null>(null);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pinAllowed(pin)) {
      setError({ code: 'invalid_input', field: 'pin', message: `Give them a first PIN. ${PIN_HINT}` });
      return;
    }
    const reply = await call('practitioners.create', { name, credentials, role });
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    const pinReply = await call('auth.resetPin', { id: reply.value.id, pin });
    setError(null);
    setName('');
    setCredentials('');
    setRole('practitioner');
    setPin('');
    setStatus(
      pinReply.ok
        ? `${reply.value.name} was added. Tell them their first PIN; they can change it in Settings.`
        : `${reply.value.name} was added without a PIN (${pinReply.error.message}); they choose one at their first sign-in.`,
    );
    onChanged();
  }

  async function changeRole(p: Practitioner) {
    const next = p.role === 'manager' ? 'practitioner' : 'manager';
    const reply = await call('practitioners.update', { id: p.id, patch: { role: next } });
    setStatus(
      reply.ok
        ? `${p.name} is now ${next === 'manager' ? 'a manager' : 'a practitioner'}.`
        : `${p.name} was not changed: ${reply.error.message}`,
    );
    if (reply.ok) onChanged();
  }

  async function remove(p: Practitioner) {
    const reply = await call('practitioners.delete', { id: p.id });
    setStatus(reply.ok ? `${p.name} was removed.` : `${p.name} was not removed: ${reply.error.message}`);
    if (reply.ok) onChanged();
  }

  return (
    <section className="card" aria-labelledby="practitioners-title">
      <h2 id="practitioners-title">Practitioners</h2>
      <p role="status" className="saved-note">
        {status}
      </p>
      <ul className="practitioner-list" aria-label="Practitioners">
        {practitioners.map((p) =>
          editingId === p.id ? (
            <li key={p.id} className="practitioner-item">
              <PractitionerEditor
                practitioner={p}
                onDone={(message) => {
                  setEditingId(null);
                  if (message) {
                    setStatus(message);
                    onChanged();
                  }
                }}
              />
            </li>
          ) : (
            <li key={p.id} className="practitioner-item">
              <span className="practitioner-name">
                <span>
                  <strong id={`practitioner-${p.id}-name`}>{p.name}</strong>
                  {p.credentials && <span className="muted">, {p.credentials}</span>}
                </span>
                {p.role === 'manager' && <span className="badge">Manager</span>}
                {p.id === currentId && <span className="badge badge-status status-active">Current</span>}
              </span>
              <span className="inline-actions">
                <button
                  type="button"
                  className="button small"
                  aria-describedby={`practitioner-${p.id}-name`}
                  onClick={() => void changeRole(p)}
                >
                  {p.role === 'manager' ? 'Make practitioner' : 'Make manager'}
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-describedby={`practitioner-${p.id}-name`}
                  onClick={() => setResettingId(p.id)}
                >
                  Reset PIN
                </button>
                <button
                  type="button"
                  className="button small"
                  aria-label={`Rename ${p.name}`}
                  onClick={() => setEditingId(p.id)}
                >
                  Rename
                </button>
                <button
                  type="button"
                  className="button small danger"
                  aria-label={`Remove ${p.name}`}
                  disabled={p.id === currentId}
                  title={
                    p.id === currentId ? 'Switch to another practitioner before removing this one' : undefined
                  }
                  onClick={() => void remove(p)}
                >
                  Remove
                </button>
              </span>
              {resettingId === p.id && (
                <ResetPinForm
                  practitioner={p}
                  onDone={(message) => {
                    setResettingId(null);
                    if (message) setStatus(message);
                  }}
                />
              )}
            </li>
          ),
        )}
      </ul>
      <p className="field-hint">
        You cannot remove yourself while signed in, and the clinic always keeps at least one manager.
      </p>
      <form noValidate onSubmit={add} className="add-practitioner" aria-labelledby="add-practitioner-title">
        <h3 id="add-practitioner-title">Add practitioner</h3>
        <div className="form-grid">
          <Field
            id="new-practitioner-name"
            label="Name"
            required
            error={error?.field === 'name' ? error.message : undefined}
          >
            {(a) => <input {...a} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field
            id="new-practitioner-credentials"
            label="Credentials"
            error={error?.field === 'credentials' ? error.message : undefined}
          >
            {(a) => (
              <input
                {...a}
                type="text"
                value={credentials}
                onChange={(e) => setCredentials(e.target.value)}
              />
            )}
          </Field>
          <Field
            id="new-practitioner-role"
            label="Role"
            error={error?.field === 'role' ? error.message : undefined}
          >
            {(a) => (
              <select {...a} value={role} onChange={(e) => setRole(e.target.value as Practitioner['role'])}>
                <option value="practitioner">Practitioner: clients, courses, sessions, photos</option>
                <option value="manager">Manager: also settings, practitioners, backups, exports</option>
              </select>
            )}
          </Field>
          <PinInput
            id="new-practitioner-pin"
            label="First PIN"
            value={pin}
            onChange={setPin}
            hint={PIN_HINT}
            error={error?.field === 'pin' ? error.message : undefined}
            autoComplete="new-password"
          />
        </div>
        <div className="inline-actions">
          <button type="submit" className="button primary">
            <PlusIcon />
            Add practitioner
          </button>
        </div>
      </form>
    </section>
  );
}

/** The same rule as the contract's (6+ digits, or a passphrase of 8+), checked before a round trip. */
function pinAllowed(pin: string): boolean {
  return /^\d+$/.test(pin) ? pin.length >= 6 : pin.length >= 8;
}

function ResetPinForm({
  practitioner,
  onDone,
}: {
  practitioner: Practitioner;
  onDone: (message: string | null) => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reply = await call('auth.resetPin', { id: practitioner.id, pin });
    if (reply.ok) onDone(`${practitioner.name} has a new PIN. Tell them; they can change it in Settings.`);
    else setError(reply.error.message);
  }
  const idBase = `reset-pin-${practitioner.id}`;
  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      className="practitioner-editor"
      aria-label={`New PIN for ${practitioner.name}`}
    >
      <PinInput
        id={idBase}
        label={`New PIN for ${practitioner.name}`}
        value={pin}
        onChange={setPin}
        hint={PIN_HINT}
        error={error}
        autoFocus
        autoComplete="new-password"
      />
      <div className="inline-actions">
        <button type="submit" className="button primary small">
          Set new PIN
        </button>
        <button type="button" className="button small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function PractitionerEditor({
  practitioner,
  onDone,
}: {
  practitioner: Practitioner;
  onDone: (message: string | null) => void;
}) {
  const [name, setName] = useState(practitioner.name);
  const [credentials, setCredentials] = useState(practitioner.credentials);
  const [error, setError] = useState<ApiError | null>(null);
  const idBase = `edit-practitioner-${practitioner.id}`;

  useEffect(() => {
    document.getElementById(`${idBase}-name`)?.focus();
  }, [idBase]);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reply = await call('practitioners.update', { id: practitioner.id, patch: { name, credentials } });
    if (reply.ok) onDone(`${reply.value.name} was saved.`);
    else setError(reply.error);
  }

  const errorFor = (f: string) => (error?.field?.replace(/^patch\./, '') === f ? error.message : undefined);
  return (
    <form
      noValidate
      onSubmit={save}
      className="practitioner-editor"
      aria-label={`Rename ${practitioner.name}`}
    >
      <div className="form-grid">
        <Field id={`${idBase}-name`} label="Name" required error={errorFor('name')}>
          {(a) => <input {...a} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id={`${idBase}-credentials`} label="Credentials" error={errorFor('credentials')}>
          {(a) => (
            <input {...a} type="text" value={credentials} onChange={(e) => setCredentials(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="inline-actions">
        <button type="submit" className="button primary small">
          Save name
        </button>
        <button type="button" className="button small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type RangeText = { min: string; max: string };
const INDICATIONS_WITH_RANGES = Object.keys(DEFAULT_INDICATION_DEPTH_RANGES) as Indication[];

function toText(r: DepthRange | undefined): RangeText {
  return r ? { min: String(r.min), max: String(r.max) } : { min: '', max: '' };
}

function toRange(t: RangeText): DepthRange {
  const num = (s: string) => (s.trim() === '' ? (undefined as unknown as number) : Number(s));
  return { min: num(t.min), max: num(t.max) };
}

/** The depth ranges behind the "outside the usual range" warnings: per zone, and per indication. */
function DepthRangesSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [zones, setZones] = useState<Record<Zone, RangeText>>(
    () =>
      Object.fromEntries(ZONE_KEYS.map((z) => [z, toText(settings.depthRanges[z])])) as Record<
        Zone,
        RangeText
      >,
  );
  const [indications, setIndications] = useState<Record<string, RangeText>>(() =>
    Object.fromEntries(INDICATIONS_WITH_RANGES.map((k) => [k, toText(settings.indicationDepthRanges[k])])),
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    const depthRanges = Object.fromEntries(ZONE_KEYS.map((z) => [z, toRange(zones[z])])) as Record<
      Zone,
      DepthRange
    >;
    const indicationDepthRanges = Object.fromEntries(
      INDICATIONS_WITH_RANGES.map((k) => {
        const t = indications[k] ?? { min: '', max: '' };
        // Both boxes empty: the indication has no range of its own and the zone ranges apply.
        return [k, t.min.trim() === '' && t.max.trim() === '' ? null : toRange(t)];
      }),
    ) as Partial<Record<Indication, DepthRange | null>>;
    const reply = await call('settings.update', { depthRanges, indicationDepthRanges });
    setSaving(false);
    if (reply.ok) {
      setError(null);
      setStatus('Depth ranges saved.');
      onSaved();
    } else {
      setError(reply.error);
      setStatus('');
      const key = rowKeyOf(reply.error.field);
      if (key) document.getElementById(`range-${key}-min`)?.focus();
    }
  }

  const errorRow = rowKeyOf(error?.field);
  const rowError = (key: string) => (errorRow === key ? error?.message : undefined);

  return (
    <section className="card" aria-labelledby="ranges-title">
      <h2 id="ranges-title">Needle depth ranges</h2>
      <p className="field-hint">
        A depth outside these ranges gets a warning when a session is saved; it never stops the save. Depths
        are in millimetres, from 0.1 to 3.0.
      </p>
      <form noValidate onSubmit={submit}>
        {error && !errorRow && (
          <p role="alert" className="field-error">
            {error.message}
          </p>
        )}
        <RangeTable caption="Depth range for each treatment zone" rowHeader="Zone">
          {ZONE_KEYS.map((z) => (
            <RangeRow
              key={z}
              rowKey={`depthRanges-${z}`}
              label={ZONES[z]}
              value={zones[z]}
              defaults={DEFAULT_DEPTH_RANGES[z]}
              error={rowError(`depthRanges-${z}`)}
              onChange={(v) => setZones((all) => ({ ...all, [z]: v }))}
            />
          ))}
        </RangeTable>
        <h3 className="subhead">By indication</h3>
        <p className="field-hint">
          Deeper treatments such as acne scars and stretch marks use their own range on every zone except
          around the eyes. Leave both boxes empty to use the zone ranges.
        </p>
        <RangeTable caption="Depth range for indications treated deeper" rowHeader="Indication">
          {INDICATIONS_WITH_RANGES.map((k) => (
            <RangeRow
              key={k}
              rowKey={`indicationDepthRanges-${k}`}
              label={INDICATIONS[k]}
              value={indications[k] ?? { min: '', max: '' }}
              defaults={DEFAULT_INDICATION_DEPTH_RANGES[k]}
              error={rowError(`indicationDepthRanges-${k}`)}
              onChange={(v) => setIndications((all) => ({ ...all, [k]: v }))}
            />
          ))}
        </RangeTable>
        <div className="inline-actions range-actions">
          <button type="submit" className="button primary" disabled={saving}>
            Save depth ranges
          </button>
          <p role="status" className="saved-note">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}

/** The shell of a depth-range table: one row per zone or indication, lowest and highest depth. */
function RangeTable({
  caption,
  rowHeader,
  children,
}: {
  caption: string;
  rowHeader: string;
  children: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table range-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            <th scope="col">Lowest (mm)</th>
            <th scope="col">Highest (mm)</th>
            <th scope="col">Default</th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** "depthRanges.lips_perioral.min" → "depthRanges-lips_perioral". */
function rowKeyOf(field: string | undefined): string | null {
  const m = field ? /^(depthRanges|indicationDepthRanges)\.([a-z_]+)/.exec(field) : null;
  return m ? `${m[1]}-${m[2]}` : null;
}

function RangeRow({
  rowKey,
  label,
  value,
  defaults,
  error,
  onChange,
}: {
  rowKey: string;
  label: string;
  value: RangeText;
  defaults: DepthRange | undefined;
  error: string | undefined;
  onChange: (v: RangeText) => void;
}) {
  const errorId = `range-${rowKey}-error`;
  const a11y = {
    'aria-invalid': Boolean(error),
    'aria-describedby': error ? errorId : undefined,
  };
  return (
    <tr className={error ? 'has-error' : undefined}>
      <th scope="row">
        {label}
        {error && (
          <p id={errorId} className="field-error">
            {error}
          </p>
        )}
      </th>
      <td>
        <input
          {...a11y}
          id={`range-${rowKey}-min`}
          className="mm-input"
          type="number"
          inputMode="decimal"
          step={0.05}
          min={0.1}
          max={3}
          aria-label={`${label} lowest depth (mm)`}
          value={value.min}
          onChange={(e) => onChange({ ...value, min: e.target.value })}
        />
      </td>
      <td>
        <input
          {...a11y}
          id={`range-${rowKey}-max`}
          className="mm-input"
          type="number"
          inputMode="decimal"
          step={0.05}
          min={0.1}
          max={3}
          aria-label={`${label} highest depth (mm)`}
          value={value.max}
          onChange={(e) => onChange({ ...value, max: e.target.value })}
        />
      </td>
      <td className="muted">{defaults ? `${defaults.min}–${defaults.max}` : '—'}</td>
    </tr>
  );
}
