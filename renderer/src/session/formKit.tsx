import type { ReactNode } from 'react';
import type { AdverseEvent, Course, Practitioner, Settings } from '../../../contract/schemas.js';
import { errorOn, type FormError } from '../forms/formErrors.js';
import { fmt } from '../format.js';
import { controlId } from './formConversion.js';
import { todayInput } from './formDates.js';
import { liveWarnings, type LiveWarning } from './formRanges.js';
import { FORM_SECTIONS, type SectionId } from './formSections.js';
import {
  CARRIED_FIELDS,
  involvesLips,
  type CarriedField,
  type FormValues,
  type Timers,
} from './formValues.js';
import type { CarriedMarks } from './formDefaults.js';
import { SCALES, type ScaleField } from './scales.js';
import { CarriedMark } from './widgets/FieldNotes.js';
import { Scale } from './widgets/Scale.js';

/**
 * What every section of the session form draws with: the values and how to change them, each
 * field's error, live warnings and carried-forward mark, and the clock. Built once per render by
 * SessionForm and handed to the sections, so a section is only its layout.
 */
export interface FormKit {
  course: Course;
  settings: Settings;
  practitioners: Practitioner[];
  v: FormValues;
  onChange: (update: (v: FormValues) => FormValues) => void;
  timers: Timers;
  onTimers: (update: (t: Timers) => Timers) => void;
  /** The ticking clock (epoch ms) while a timer runs. */
  now: number;
  today: string;
  /** Whether the lip-only items are offered. */
  lips: boolean;
  showTimers: boolean;
  savedEvents: AdverseEvent[] | undefined;
  carriedFrom: number | null;
  marks: CarriedMarks;
  warnings: LiveWarning[];
  errorFor: (field: string) => string | undefined;
  warningsFor: (field: string) => LiveWarning[];
  set: <K extends keyof FormValues>(key: K) => (value: FormValues[K]) => void;
  /** A text control's value and change handler. */
  text: (key: keyof FormValues) => { value: string; onChange: (e: { target: { value: string } }) => void };
  /** A Field's id, label, error and carried mark for a form value. */
  fieldOf: (
    key: keyof FormValues,
    label: string,
  ) => { id: string; label: string; error: string | undefined; mark: ReactNode };
  /** The mark beside a field's label while it still holds what was carried forward. */
  carriedMark: (field: CarriedField) => ReactNode;
  /** The session a section's values were carried from, while any of them still is. */
  sectionCarried: (id: SectionId) => number | null;
  scale: (field: ScaleField) => ReactNode;
}

export interface KitSource {
  course: Course;
  settings: Settings;
  practitioners: Practitioner[];
  values: FormValues;
  onChange: (update: (v: FormValues) => FormValues) => void;
  timers: Timers;
  onTimers: (update: (t: Timers) => Timers) => void;
  carriedFrom: number | null;
  marks: CarriedMarks;
  previousAt?: string | null | undefined;
  sessionNumber?: number | null | undefined;
  errors: readonly FormError[];
  savedEvents?: AdverseEvent[] | undefined;
  showTimers?: boolean | undefined;
}

const isCarriedField = (f: string): f is CarriedField => (CARRIED_FIELDS as readonly string[]).includes(f);

export function formKit(p: KitSource, now: number): FormKit {
  const { values: v, onChange, carriedFrom, marks } = p;
  const errorFor = (field: string) => errorOn(p.errors, field);
  const carriedMark = (field: CarriedField) =>
    carriedFrom !== null && marks.fields.includes(field) ? <CarriedMark from={carriedFrom} /> : undefined;
  const warnings = liveWarnings(v, {
    course: p.course,
    settings: p.settings,
    previousAt: p.previousAt ?? null,
    sessionNumber: p.sessionNumber ?? null,
    num: (n) => fmt().number(n),
  });
  const set =
    <K extends keyof FormValues>(key: K) =>
    (value: FormValues[K]) =>
      onChange((prev) => ({ ...prev, [key]: value }));
  return {
    course: p.course,
    settings: p.settings,
    practitioners: p.practitioners,
    v,
    onChange,
    timers: p.timers,
    onTimers: p.onTimers,
    now,
    today: todayInput(new Date(now)),
    lips: involvesLips(p.course.area, v.zones),
    showTimers: p.showTimers !== false,
    savedEvents: p.savedEvents,
    carriedFrom,
    marks,
    warnings,
    errorFor,
    warningsFor: (field) => warnings.filter((w) => w.field === field),
    set,
    text: (key) => ({
      value: v[key] as string,
      onChange: (e) => set(key)(e.target.value as never),
    }),
    fieldOf: (key, label) => ({
      id: controlId(key),
      label,
      error: errorFor(key),
      mark: isCarriedField(key) ? carriedMark(key) : undefined,
    }),
    carriedMark,
    sectionCarried: (id) => {
      const fields = (FORM_SECTIONS.find((s) => s.id === id)?.fields ?? []) as readonly string[];
      return carriedFrom !== null && fields.some((f) => isCarriedField(f) && marks.fields.includes(f))
        ? carriedFrom
        : null;
    },
    scale: (field) => (
      <Scale
        key={field}
        field={field}
        {...SCALES[field]}
        value={v[field]}
        onChange={set(field)}
        error={errorFor(field)}
      />
    ),
  };
}
