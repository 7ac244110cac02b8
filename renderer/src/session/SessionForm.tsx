import { useEffect, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import {
  ADVERSE_EVENT_KIND_KEYS,
  ADVERSE_EVENT_KINDS,
  AFTERCARE,
  AFTERCARE_KEYS,
  ZONES,
  NUMBING_AGENT_KEYS,
  NUMBING_AGENTS,
  SEVERITIES,
  ZONE_KEYS,
  type Aftercare,
  type LotKind,
  type Zone,
} from '../../../contract/domain.js';
import type { AdverseEvent, Course, Practitioner, Settings } from '../../../contract/schemas.js';
import { Field } from '../components/Field.js';
import { LotInput } from '../components/LotInput.js';
import { FaceMap } from './FaceMap.js';
import { fmt } from '../format.js';
import { GAIS_LABELS, formatValue } from './history.js';
import {
  CARRIED_FIELDS,
  FORM_SECTIONS,
  controlId,
  depthRangeFor,
  elapsedMinutes,
  formatElapsed,
  involvesLips,
  liveWarnings,
  rangeHint,
  sectionStatus,
  todayInput,
  type AdverseRow,
  type CarriedField,
  type CarriedMarks,
  type FormValues,
  type LiveWarning,
  type PhotoConsent,
  type SectionId,
  type SectionStatus,
  type Timers,
} from './sessionForm.js';
import { WarningText, warningClass } from './WarningText.js';
import '../styles/session.css';

export interface FormError {
  /** Form field ("zones.0.depth", "pain", "adverseEvents.1.kind") or null for the summary only. */
  field: string | null;
  message: string;
}

interface Props {
  course: Course;
  settings: Settings;
  practitioners: Practitioner[];
  values: FormValues;
  onChange: (update: (v: FormValues) => FormValues) => void;
  timers: Timers;
  onTimers: (update: (t: Timers) => Timers) => void;
  carriedFrom: number | null;
  /** Carried fields that still hold the carried value (sessionForm.carriedMarks). */
  marks: CarriedMarks;
  /** The course's previous session and this session's number, for the live interval and plan checks. */
  previousAt?: string | null;
  sessionNumber?: number | null;
  error: FormError | null;
  saving: boolean;
  submitLabel: string;
  onSubmit: () => void;
  /** Adverse events already saved with this session (edit only). */
  savedEvents?: AdverseEvent[];
  /** The numbing and procedure timers are for the treatment room, not for correcting a record later. */
  showTimers?: boolean;
  /** More buttons beside Save (e.g. Delete session). */
  actions?: ReactNode;
  /** Shown above the save button, inside the form (e.g. the reason an addendum needs). */
  beforeActions?: ReactNode;
  /** Shown beside Save, e.g. "Draft saved 10:05". */
  status?: ReactNode;
}

const PHOTO_CONSENT_OPTIONS: { value: PhotoConsent; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'record', label: 'Record only' },
  { value: 'teaching', label: 'Teaching' },
  { value: 'marketing', label: 'Marketing' },
];

const SKIN_LABELS: Record<number, string> = { 0: 'None', 1: 'Mild', 2: 'Moderate', 3: 'Marked' };

/** The scored fields: each drawn as a row of big radio tiles from min to max. */
const SCALES = {
  pain: { label: 'Pain', hint: '0 no pain – 10 worst imaginable', min: 0, max: 10 },
  erythema: { label: 'Erythema', min: 0, max: 3, labels: SKIN_LABELS },
  edema: { label: 'Edema', min: 0, max: 3, labels: SKIN_LABELS },
  bleeding: { label: 'Pinpoint bleeding', min: 0, max: 3, labels: SKIN_LABELS },
  gaisPractitioner: { label: 'GAIS (practitioner)', min: 1, max: 5, labels: GAIS_LABELS },
  gaisClient: { label: 'GAIS (client)', min: 1, max: 5, labels: GAIS_LABELS },
  satisfaction: {
    label: 'Client satisfaction',
    hint: '0 not at all – 10 completely satisfied',
    min: 0,
    max: 10,
  },
  lipFullnessUpper: { label: 'Upper lip fullness', hint: '1 very thin – 5 very full', min: 1, max: 5 },
  lipFullnessLower: { label: 'Lower lip fullness', hint: '1 very thin – 5 very full', min: 1, max: 5 },
  goodmanBaron: { label: 'Goodman & Baron grade', hint: '1 macular – 4 severe', min: 1, max: 4 },
} satisfies Record<string, Omit<ScaleProps, 'field' | 'value' | 'onChange' | 'error' | 'vertical'>>;
type ScaleField = keyof typeof SCALES & keyof FormValues;

/** The live clock for the timers: ticks every second while one runs, reading `Date.now()`. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    const handle = window.setInterval(tick, 1000);
    const first = window.setTimeout(tick, 0);
    return () => {
      window.clearInterval(handle);
      window.clearTimeout(first);
    };
  }, [running]);
  return now;
}

let rowCounter = 0;
function newRow(today: string): AdverseRow {
  rowCounter += 1;
  return {
    key: `ae-${Date.now()}-${rowCounter}`,
    kind: '',
    severity: '',
    onsetOn: today,
    resolvedOn: '',
    notes: '',
  };
}

/** The three lot numbers, beside the device and cartridge, each suggesting the lots entered before. */
const LOT_FIELDS = [
  { field: 'cartridgeLot', kind: 'cartridge', label: 'Cartridge lot' },
  { field: 'numbingLot', kind: 'numbing', label: 'Numbing lot' },
  { field: 'glideLot', kind: 'glide', label: 'Glide lot' },
] as const satisfies readonly { field: keyof FormValues; kind: LotKind; label: string }[];

/**
 * The session form, for logging and for editing. It holds no state of its own beyond the ticking
 * clock: values and timers live with the page, which saves drafts and talks to the API.
 */
export function SessionForm(props: Props) {
  const { course, settings, practitioners, values: v, onChange, timers, onTimers, error } = props;
  const running = timers.numbingStartedAt !== null || timers.procedureStartedAt !== null;
  const now = useNow(running);
  const lips = involvesLips(course.area, v.zones);
  const errorFor = (field: string) => (error?.field === field ? error.message : undefined);
  const carriedFrom = props.carriedFrom;
  const { marks } = props;
  const isCarried = (...fields: CarriedField[]) =>
    carriedFrom !== null && fields.some((f) => marks.fields.includes(f));
  /** The mark beside a field's label while it still holds what was carried forward. */
  const carriedMark = (field: CarriedField) =>
    carriedFrom !== null && marks.fields.includes(field) ? <CarriedMark from={carriedFrom} /> : undefined;
  /** A Field's id, label, error and carried mark for a form value. */
  const fieldOf = (key: keyof FormValues, label: string) => ({
    id: controlId(key),
    label,
    error: errorFor(key),
    mark: (CARRIED_FIELDS as readonly string[]).includes(key) ? carriedMark(key as CarriedField) : undefined,
  });
  /** The session a section's values were carried from, while any of them still is. */
  const sectionCarried = (id: SectionId) => {
    const fields = FORM_SECTIONS.find((s) => s.id === id)?.fields ?? [];
    return isCarried(
      ...fields.filter((f): f is CarriedField => (CARRIED_FIELDS as readonly string[]).includes(f)),
    )
      ? carriedFrom
      : null;
  };

  const warnings = liveWarnings(v, {
    course,
    settings,
    previousAt: props.previousAt ?? null,
    sessionNumber: props.sessionNumber ?? null,
    num: (n) => fmt().number(n),
  });
  const warningsFor = (field: string) => warnings.filter((w) => w.field === field);
  const status = sectionStatus(v, warnings, error?.field ?? null);

  const set =
    <K extends keyof FormValues>(key: K) =>
    (value: FormValues[K]) =>
      onChange((prev) => ({ ...prev, [key]: value }));
  const scale = (field: ScaleField) => (
    <Scale
      key={field}
      field={field}
      {...SCALES[field]}
      value={v[field]}
      onChange={set(field)}
      error={errorFor(field)}
    />
  );
  const text = (key: keyof FormValues) => ({
    value: v[key] as string,
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value as never),
  });

  // Bring the field named by a refused save into view and focus.
  useEffect(() => {
    if (!error?.field) return;
    const el = document.getElementById(controlId(error.field));
    if (el instanceof HTMLFieldSetElement) {
      el.querySelector<HTMLInputElement>('input')?.focus();
    } else {
      el?.focus();
    }
  }, [error]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit();
  }

  // Ctrl+Enter (⌘+Enter on a Mac) saves from anywhere in the form, the notes included.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    event.preventDefault();
    if (!props.saving) props.onSubmit();
  }

  const unusedZones = ZONE_KEYS.filter((z) => !v.zones.some((row) => row.zone === z));
  const [zoneToAdd, setZoneToAdd] = useState<Zone | ''>('');

  const today = todayInput(new Date(now));

  return (
    <div className="sf-layout">
      <SectionIndex status={status} carried={carriedFrom !== null ? marks.fields : []} />
      <form className="sf" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label="Session">
        <Section id="visit" title="Visit">
          <div className="form-grid">
            <Field
              id={controlId('performedAt')}
              label="Session date and time"
              error={errorFor('performedAt')}
            >
              {(a) => <input type="datetime-local" {...a} {...text('performedAt')} />}
            </Field>
            <Field id={controlId('practitionerId')} label="Practitioner" error={errorFor('practitionerId')}>
              {(a) => (
                <select {...a} {...text('practitionerId')}>
                  {v.practitionerId === '' && <option value="">Choose…</option>}
                  {practitioners.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <LiveWarnings warnings={warningsFor('performedAt')} />
        </Section>

        <Section id="device" title="Device and cartridge" carried={sectionCarried('device')}>
          <div className="form-grid">
            <Field {...fieldOf('device', 'Device')}>
              {(a) => <input type="text" autoComplete="off" {...a} {...text('device')} />}
            </Field>
            <Field {...fieldOf('cartridgeType', 'Cartridge type')}>
              {(a) => <input type="text" autoComplete="off" {...a} {...text('cartridgeType')} />}
            </Field>
            {LOT_FIELDS.map(({ field, kind, label }) => (
              <Field key={field} {...fieldOf(field, label)}>
                {(a) => <LotInput kind={kind} a11y={a} value={v[field]} onChange={set(field)} />}
              </Field>
            ))}
          </div>
        </Section>

        <Section id="depth" title="Needle depth" carried={sectionCarried('depth')}>
          <FaceMap
            rows={v.zones}
            rangeFor={(zone) => depthRangeFor(zone, course.indication, settings)}
            onRows={(update) => onChange((prev) => ({ ...prev, zones: update(prev.zones) }))}
            passes={v.passes}
            onPasses={set('passes')}
          >
            <div className="sf-zones">
              {v.zones.map((row, i) => {
                const range = depthRangeFor(row.zone, course.indication, settings);
                const id = controlId(`zones.${i}.depth`);
                const err = errorFor(`zones.${i}.depth`);
                const warn = warningsFor(`zones.${i}.depth`)[0];
                const zoneCarried = carriedFrom !== null && marks.zones.includes(row.zone);
                const describedBy = [
                  err && `${id}-error`,
                  `${id}-hint`,
                  warn && `${id}-warn`,
                  zoneCarried && `${id}-mark`,
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <div key={row.zone} className={err ? 'sf-zone has-error' : 'sf-zone'}>
                    <label htmlFor={id} className="field-label">
                      Needle depth, {ZONES[row.zone]} (mm)
                    </label>
                    <div className="sf-zone-line">
                      <input
                        id={id}
                        className="sf-depth"
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        aria-invalid={Boolean(err)}
                        aria-describedby={describedBy}
                        value={row.depth}
                        onChange={(e) =>
                          onChange((prev) => ({
                            ...prev,
                            zones: prev.zones.map((z, j) => (j === i ? { ...z, depth: e.target.value } : z)),
                          }))
                        }
                      />
                      <span id={`${id}-hint`} className="sf-range">
                        {rangeHint(range, (n) => fmt().number(n))}
                      </span>
                      {v.zones.length > 1 && (
                        <button
                          type="button"
                          className="button small"
                          onClick={() =>
                            onChange((prev) => ({ ...prev, zones: prev.zones.filter((_, j) => j !== i) }))
                          }
                        >
                          Remove {ZONES[row.zone]}
                        </button>
                      )}
                    </div>
                    {zoneCarried && (
                      <span id={`${id}-mark`} className="field-mark">
                        <CarriedMark from={carriedFrom} />
                      </span>
                    )}
                    {warn && <LiveWarningLine id={`${id}-warn`} warning={warn} />}
                    {err && (
                      <p id={`${id}-error`} className="field-error">
                        {err}
                      </p>
                    )}
                  </div>
                );
              })}
              {unusedZones.length > 0 && (
                <div className="sf-add-zone">
                  <Field id="sf-add-zone" label="Add another zone">
                    {(a) => (
                      <select
                        {...a}
                        value={zoneToAdd}
                        onChange={(e) => setZoneToAdd(e.target.value as Zone | '')}
                      >
                        <option value="">Choose a zone…</option>
                        {unusedZones.map((z) => (
                          <option key={z} value={z}>
                            {ZONES[z]}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <button
                    type="button"
                    className="button"
                    disabled={zoneToAdd === ''}
                    onClick={() => {
                      if (zoneToAdd === '') return;
                      const zone = zoneToAdd;
                      onChange((prev) => ({ ...prev, zones: [...prev.zones, { zone, depth: '' }] }));
                      setZoneToAdd('');
                      window.setTimeout(() =>
                        document.getElementById(controlId(`zones.${v.zones.length}.depth`))?.focus(),
                      );
                    }}
                  >
                    Add zone
                  </button>
                </div>
              )}
            </div>
          </FaceMap>
        </Section>

        <Section id="technique" title="Technique" carried={sectionCarried('technique')}>
          <div className="form-grid">
            <Field {...fieldOf('passes', 'Passes')}>
              {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('passes')} />}
            </Field>
            <Field {...fieldOf('speed', 'Speed setting')}>
              {(a) => <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('speed')} />}
            </Field>
            <Field {...fieldOf('glide', 'Glide / serum')}>
              {(a) => <input type="text" autoComplete="off" {...a} {...text('glide')} />}
            </Field>
          </div>
        </Section>

        <Section id="numbing" title="Numbing" carried={sectionCarried('numbing')}>
          <div className="form-grid sf-numbing-grid">
            <Field {...fieldOf('numbingAgent', 'Numbing agent')}>
              {(a) => (
                <select {...a} {...text('numbingAgent')}>
                  {NUMBING_AGENT_KEYS.map((k) => (
                    <option key={k} value={k}>
                      {NUMBING_AGENTS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {v.numbingAgent === 'other' && (
              <Field
                {...fieldOf('numbingConcentration', 'Concentration')}
                hint="Name and strength, e.g. lidocaine 10%"
              >
                {(a) => <input type="text" autoComplete="off" {...a} {...text('numbingConcentration')} />}
              </Field>
            )}
            <Field
              id={controlId('numbingMinutes')}
              label="Numbing time (min)"
              hint="How long the cream was on; the timer fills it"
              error={errorFor('numbingMinutes')}
            >
              {(a) => (
                <input
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  {...a}
                  {...text('numbingMinutes')}
                />
              )}
            </Field>
            <Field {...fieldOf('numbingArea', 'Numbing area')}>
              {(a) => <input type="text" autoComplete="off" {...a} {...text('numbingArea')} />}
            </Field>
          </div>
          <LiveWarnings warnings={warningsFor('numbingMinutes')} />
          <label className="check sf-check">
            <input
              id={controlId('numbingOcclusion')}
              type="checkbox"
              checked={v.numbingOcclusion}
              onChange={(e) => set('numbingOcclusion')(e.target.checked)}
            />
            Occlusion (covered with film)
            {carriedMark('numbingOcclusion')}
          </label>
          {v.numbingOcclusion && (
            <p className="sf-note">The FDA warns against numbing large areas under occlusion.</p>
          )}
          {props.showTimers !== false && (
            <Timer
              name="numbing"
              startedAt={timers.numbingStartedAt}
              now={now}
              startLabel="Start numbing timer"
              runningLabel="Numbing cream on for"
              onStart={() => onTimers((t) => ({ ...t, numbingStartedAt: Date.now() }))}
              stopLabel={(min) => `Use ${min} min`}
              onStop={(min) => {
                onTimers((t) => ({ ...t, numbingStartedAt: null }));
                set('numbingMinutes')(String(min));
              }}
              onCancel={() => onTimers((t) => ({ ...t, numbingStartedAt: null }))}
              cancelLabel="Cancel numbing timer"
            />
          )}
        </Section>

        <Section id="procedure" title="Procedure">
          <div className="form-grid">
            <Field
              id={controlId('procedureMinutes')}
              label="Duration (min)"
              hint="The procedure timer fills it"
              error={errorFor('procedureMinutes')}
            >
              {(a) => (
                <input
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  {...a}
                  {...text('procedureMinutes')}
                />
              )}
            </Field>
          </div>
          {props.showTimers !== false && (
            <Timer
              name="procedure"
              startedAt={timers.procedureStartedAt}
              now={now}
              startLabel="Start procedure timer"
              runningLabel="Procedure running for"
              onStart={() => onTimers((t) => ({ ...t, procedureStartedAt: Date.now() }))}
              stopLabel={() => 'Stop procedure timer'}
              onStop={(min) => {
                onTimers((t) => ({ ...t, procedureStartedAt: null }));
                set('procedureMinutes')(String(min));
              }}
            />
          )}
        </Section>

        <Section id="response" title="Response">
          {scale('pain')}
          <div className="sf-scales">
            {scale('erythema')}
            {scale('edema')}
            {scale('bleeding')}
          </div>
        </Section>

        <Section id="adverse" title="Adverse events">
          {props.savedEvents && props.savedEvents.length > 0 && (
            <ul className="sf-saved-events">
              {props.savedEvents.map((e) => (
                <li key={e.id}>
                  {ADVERSE_EVENT_KINDS[e.kind]}, {e.severity}, from {formatValue('onsetOn', e.onsetOn)}
                  {e.resolvedOn ? ` to ${formatValue('resolvedOn', e.resolvedOn)}` : ', not resolved'}
                  {e.notes ? ` — ${e.notes}` : ''}
                </li>
              ))}
            </ul>
          )}
          {v.adverseEvents.length === 0 && !props.savedEvents?.length && (
            <p className="muted">None recorded.</p>
          )}
          {v.adverseEvents.map((row, i) => (
            <AdverseEventRow
              key={row.key}
              index={i}
              row={row}
              errorFor={errorFor}
              onChange={(next) =>
                onChange((prev) => ({
                  ...prev,
                  adverseEvents: prev.adverseEvents.map((r, j) => (j === i ? next : r)),
                }))
              }
              onRemove={() =>
                onChange((prev) => ({ ...prev, adverseEvents: prev.adverseEvents.filter((_, j) => j !== i) }))
              }
            />
          ))}
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                onChange((prev) => ({ ...prev, adverseEvents: [...prev.adverseEvents, newRow(today)] }));
                window.setTimeout(() =>
                  document.getElementById(controlId(`adverseEvents.${v.adverseEvents.length}.kind`))?.focus(),
                );
              }}
            >
              Add adverse event
            </button>
          </div>
        </Section>

        <Section id="aftercare" title="Aftercare" carried={sectionCarried('aftercare')}>
          <fieldset className="checks" id={controlId('aftercare')}>
            <legend>
              Aftercare given
              {carriedMark('aftercare')}
            </legend>
            {errorFor('aftercare') && <p className="field-error">{errorFor('aftercare')}</p>}
            <div className="check-grid">
              {AFTERCARE_KEYS.filter((k) => lips || k !== 'keep_lips_moisturised').map((k) => (
                <label key={k} className="check">
                  <input
                    type="checkbox"
                    checked={v.aftercare.includes(k)}
                    onChange={(e) =>
                      onChange((prev) => ({
                        ...prev,
                        aftercare: toggle(prev.aftercare, k, e.target.checked),
                      }))
                    }
                  />
                  {AFTERCARE[k]}
                </label>
              ))}
            </div>
          </fieldset>
        </Section>

        <Section id="outcome" title="Outcome">
          <div className="sf-scales">
            {scale('gaisPractitioner')}
            {scale('gaisClient')}
          </div>
          {scale('satisfaction')}
          {lips && (
            <div className="sf-scales">
              {scale('lipFullnessUpper')}
              {scale('lipFullnessLower')}
            </div>
          )}
          {course.indication === 'acne_scars' && scale('goodmanBaron')}
        </Section>

        <Section id="consent" title="Consent and notes">
          <label className="check sf-check">
            <input
              id={controlId('consentProcedure')}
              type="checkbox"
              checked={v.consentProcedure}
              onChange={(e) => set('consentProcedure')(e.target.checked)}
            />
            Procedure consent confirmed
          </label>
          <RadioGroup
            field="photoConsent"
            label="Photo consent"
            options={PHOTO_CONSENT_OPTIONS}
            value={v.photoConsent}
            onChange={(x) => set('photoConsent')(x as PhotoConsent)}
            error={errorFor('photoConsent')}
          />
          <Field id={controlId('notes')} label="Notes" error={errorFor('notes')}>
            {(a) => <textarea rows={4} {...a} {...text('notes')} />}
          </Field>
        </Section>

        {props.beforeActions}
        <div className="sf-actions">
          {error && (
            <div className="form-summary" role="alert">
              <p className="form-summary-title">The session was not saved.</p>
              <p>{error.message}</p>
            </div>
          )}
          <div className="sf-action-buttons">
            <button
              type="submit"
              className="button primary sf-save"
              disabled={props.saving}
              aria-keyshortcuts="Control+Enter"
            >
              {props.saving ? 'Saving…' : props.submitLabel}
            </button>
            <span className="sf-shortcut" aria-hidden="true">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
            </span>
            {props.status}
            {props.actions}
          </div>
        </div>
      </form>
    </div>
  );
}

function CarriedMark({ from }: { from: number }) {
  return <span className="sf-carried-mark">from session {from}</span>;
}

/** One live warning under its field, led by how far outside the range the value is. */
function LiveWarningLine({ id, warning }: { id?: string; warning: LiveWarning }) {
  return (
    <p id={id} className={warningClass('sf-warn', warning.warning.grade)}>
      <WarningText warning={warning.warning} /> You can still save it.
    </p>
  );
}

function LiveWarnings({ warnings }: { warnings: readonly LiveWarning[] }) {
  return (
    <>
      {warnings.map((w) => (
        <LiveWarningLine key={w.warning.code} warning={w} />
      ))}
    </>
  );
}

const sectionDomId = (id: SectionId) => `sf-section-${id}`;

/** Words for a section's state, for the index's accessible names and tooltips. */
function statusWords(s: SectionStatus, carried: boolean): string {
  const words = [
    s.error ? 'has an error' : null,
    s.warnings > 0 ? `${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}` : null,
    s.filled ? 'filled in' : 'empty',
    carried ? 'carried forward' : null,
  ];
  return words.filter(Boolean).join(', ');
}

/**
 * The form's table of contents, beside it on wide screens and above it on narrow ones: one button
 * per section that brings it into view, marked when it holds something, a warning or an error.
 */
function SectionIndex({
  status,
  carried,
}: {
  status: Record<SectionId, SectionStatus>;
  carried: readonly CarriedField[];
}) {
  const jump = (id: SectionId) => {
    const section = document.getElementById(sectionDomId(id));
    section?.scrollIntoView({ block: 'start' });
    section?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  };
  return (
    <nav className="sf-index" aria-label="Sections of the session form">
      <p className="sf-index-title" aria-hidden="true">
        Sections
      </p>
      <ul>
        {FORM_SECTIONS.map((s) => {
          const st = status[s.id];
          const isCarried = (s.fields as readonly string[]).some((f) => carried.includes(f as CarriedField));
          const state = st.error
            ? 'is-error'
            : st.warnings > 0
              ? 'is-warn'
              : st.filled
                ? 'is-filled'
                : 'is-empty';
          return (
            <li key={s.id}>
              <button type="button" className={`sf-index-item ${state}`} onClick={() => jump(s.id)}>
                <span className="sf-index-dot" aria-hidden="true">
                  {st.error ? '!' : st.warnings > 0 ? '⚠' : st.filled ? '✓' : ''}
                </span>
                <span className="sf-index-name">{s.title}</span>
                {/* The state in words: part of the button's name, after its visible title. */}
                <span className="visually-hidden">: {statusWords(st, isCarried)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function toggle(list: Aftercare[], key: Aftercare, on: boolean): Aftercare[] {
  return on ? AFTERCARE_KEYS.filter((k) => k === key || list.includes(k)) : list.filter((k) => k !== key);
}

function Section({
  id,
  title,
  carried,
  children,
}: {
  id: SectionId;
  title: string;
  carried?: number | null;
  children: ReactNode;
}) {
  const headingId = `${sectionDomId(id)}-title`;
  return (
    <section
      id={sectionDomId(id)}
      className={carried ? 'sf-section is-carried' : 'sf-section'}
      aria-labelledby={headingId}
    >
      <div className="sf-section-head">
        <h2 id={headingId} tabIndex={-1}>
          {title}
        </h2>
        {carried ? <span className="sf-carried">Carried forward from session {carried}</span> : null}
      </div>
      {children}
    </section>
  );
}

interface TimerProps {
  name: string;
  startedAt: number | null;
  now: number;
  startLabel: string;
  runningLabel: string;
  stopLabel: (minutes: number) => string;
  onStart: () => void;
  onStop: (minutes: number) => void;
  onCancel?: () => void;
  cancelLabel?: string;
}

function Timer(p: TimerProps) {
  if (p.startedAt === null) {
    return (
      <div className="sf-timer">
        <button type="button" className="button sf-timer-start" onClick={p.onStart}>
          {p.startLabel}
        </button>
      </div>
    );
  }
  const minutes = elapsedMinutes(p.startedAt, p.now);
  return (
    <div className="sf-timer is-running">
      <p className="sf-timer-reading" role="timer" aria-label={`${p.runningLabel} ${minutes} min`}>
        <span className="sf-timer-caption">{p.runningLabel}</span>{' '}
        <span className="sf-timer-clock" data-testid={`${p.name}-elapsed`}>
          {formatElapsed(p.startedAt, p.now)}
        </span>{' '}
        <span className="sf-timer-min">({minutes} min)</span>
      </p>
      <button type="button" className="button primary" onClick={() => p.onStop(minutes)}>
        {p.stopLabel(minutes)}
      </button>
      {p.onCancel && (
        <button type="button" className="button small" onClick={p.onCancel}>
          {p.cancelLabel}
        </button>
      )}
    </div>
  );
}

interface ScaleProps {
  field: string;
  label: string;
  hint?: string;
  min: number;
  max: number;
  labels?: Record<number, string>;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  vertical?: boolean;
}

function Scale({ field, label, hint, min, max, labels, value, onChange, error, vertical }: ScaleProps) {
  const options: RadioOption[] = [];
  for (let n = min; n <= max; n += 1) {
    const word = labels?.[n];
    options.push({ value: String(n), label: String(n), ...(word ? { word } : {}) });
  }
  return (
    <RadioGroup
      field={field}
      label={label}
      hint={hint}
      options={options}
      value={value}
      onChange={onChange}
      error={error}
      clearable
      className={vertical ? 'sf-radios is-vertical' : labels ? 'sf-radios is-scale' : 'sf-radios'}
    />
  );
}

interface RadioOption {
  value: string;
  label: string;
  /** A scale point's word ("Marked"), shown under its number ("3") so a 0–3 scale keeps to one row. */
  word?: string;
}

interface RadioGroupProps {
  field: string;
  label: string;
  hint?: string | undefined;
  options: RadioOption[];
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  clearable?: boolean;
  className?: string;
}

/**
 * A row of big radio tiles, each a native radio drawn as the tile itself (so a tap, a click, Tab and
 * the arrow keys all operate the real control), the group named by its legend.
 */
function RadioGroup(p: RadioGroupProps) {
  const id = controlId(p.field);
  const legendId = `${id}-legend`;
  const describedBy =
    [p.error && `${id}-error`, p.hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      id={id}
      role="radiogroup"
      aria-labelledby={legendId}
      aria-describedby={describedBy}
      aria-invalid={Boolean(p.error)}
      className={p.error ? 'sf-group has-error' : 'sf-group'}
    >
      <legend className="field-label sf-legend">
        <span id={legendId}>{p.label}</span>
        {/* Beside the name, so choosing a value never moves the tiles. */}
        {p.clearable && p.value !== '' && (
          <button
            type="button"
            className="button small sf-clear"
            aria-label={`Clear ${p.label.toLowerCase()}`}
            onClick={(e) => {
              // The button goes with the value: keep the keyboard in the group, on its first tile.
              e.currentTarget.closest('fieldset')?.querySelector('input')?.focus();
              p.onChange('');
            }}
          >
            Clear
          </button>
        )}
      </legend>
      {p.hint && (
        <p id={`${id}-hint`} className="field-hint">
          {p.hint}
        </p>
      )}
      <div className={p.className ?? 'sf-radios is-labelled'}>
        {p.options.map((o) => (
          <label key={o.value} className="sf-radio">
            <input
              type="radio"
              name={id}
              value={o.value}
              checked={p.value === o.value}
              onChange={() => p.onChange(o.value)}
            />
            <span className="sf-radio-face">
              {o.label}
              {o.word && (
                <>
                  {' '}
                  <span className="sf-radio-word">{o.word}</span>
                </>
              )}
            </span>
          </label>
        ))}
      </div>
      {p.error && (
        <p id={`${id}-error`} className="field-error">
          {p.error}
        </p>
      )}
    </fieldset>
  );
}

function AdverseEventRow({
  index,
  row,
  errorFor,
  onChange,
  onRemove,
}: {
  index: number;
  row: AdverseRow;
  errorFor: (field: string) => string | undefined;
  onChange: (row: AdverseRow) => void;
  onRemove: () => void;
}) {
  const f = (name: keyof AdverseRow) => `adverseEvents.${index}.${name}`;
  const set = (name: keyof AdverseRow) => (e: { target: { value: string } }) =>
    onChange({ ...row, [name]: e.target.value });
  return (
    <fieldset className="sf-event">
      <legend>Adverse event {index + 1}</legend>
      <div className="form-grid">
        <Field id={controlId(f('kind'))} label="Kind" error={errorFor(f('kind'))}>
          {(a) => (
            <select {...a} value={row.kind} onChange={set('kind')}>
              <option value="">Choose…</option>
              {ADVERSE_EVENT_KIND_KEYS.map((k) => (
                <option key={k} value={k}>
                  {ADVERSE_EVENT_KINDS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={controlId(f('severity'))} label="Severity" error={errorFor(f('severity'))}>
          {(a) => (
            <select {...a} value={row.severity} onChange={set('severity')}>
              <option value="">Choose…</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s.charAt(0).toUpperCase() + s.slice(1)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={controlId(f('onsetOn'))} label="Onset date" error={errorFor(f('onsetOn'))}>
          {(a) => <input type="date" {...a} value={row.onsetOn} onChange={set('onsetOn')} />}
        </Field>
        <Field id={controlId(f('resolvedOn'))} label="Resolved date" error={errorFor(f('resolvedOn'))}>
          {(a) => <input type="date" {...a} value={row.resolvedOn} onChange={set('resolvedOn')} />}
        </Field>
      </div>
      <Field id={controlId(f('notes'))} label="Event notes" error={errorFor(f('notes'))}>
        {(a) => <input type="text" autoComplete="off" {...a} value={row.notes} onChange={set('notes')} />}
      </Field>
      <div>
        <button type="button" className="button small" onClick={onRemove}>
          Remove adverse event {index + 1}
        </button>
      </div>
    </fieldset>
  );
}
