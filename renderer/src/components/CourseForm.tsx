import { useEffect, useState, type FormEvent } from 'react';
import { AREA_KEYS, AREAS, INDICATION_KEYS, INDICATIONS } from '../../../contract/domain.js';
import type { Course } from '../../../contract/schemas.js';
import { ErrorSummary } from '../forms/ErrorSummary.js';
import { fieldIn } from '../forms/fieldIn.js';
import { useForm } from '../forms/useForm.js';
import { useCreateCourse, useUpdateCourse } from '../data/courses.js';
import { localDay } from '../format.js';
import { Field } from './Field.js';
import { LabelOptions } from './LabelOptions.js';
import { FormActions } from './FormActions.js';
import { useModalDialog } from './useModalDialog.js';
import { DialogForm } from './DialogForm.js';

interface Values {
  area: string;
  indication: string;
  plannedSessions: string;
  plannedIntervalDays: string;
  startedOn: string;
  notes: string;
}
type FieldName = keyof Values;
const FIELD_NAMES: FieldName[] = [
  'area',
  'indication',
  'plannedSessions',
  'plannedIntervalDays',
  'startedOn',
  'notes',
];

interface Props {
  /** New course for this client… */
  clientId: string;
  /** …or an edit of this course. */
  course?: Course;
  onSaved: (course: Course) => void;
  onCancel: () => void;
}

const ID_PREFIX = 'course-form';
const idFor = (name: FieldName) => `${ID_PREFIX}-${name}`;

const fieldOf = fieldIn(FIELD_NAMES);

/** The plan's two whole numbers, with the range their boxes offer. */
const PLAN_FIELDS = [
  { name: 'plannedSessions', label: 'Planned sessions', hint: 'Usually 3 to 6', max: 50 },
  {
    name: 'plannedIntervalDays',
    label: 'Planned interval (days)',
    hint: 'Usually 14 to 42; about 28',
    max: 365,
  },
] as const;

/** An empty number box is sent as missing, so the contract answers "… is required." */
function numberOrMissing(s: string): number {
  return (s.trim() === '' ? undefined : Number(s)) as number;
}

/** "New course" / "Edit course" as a modal dialog; the contract's messages appear by their field. */
export function CourseForm({ clientId, course, onSaved, onCancel }: Props) {
  const { ref: dialogRef, onCancel: onDialogCancel } = useModalDialog(`#${idFor('area')}`, onCancel, {
    returnFocus: false,
  });
  const [values, setValues] = useState<Values>(() =>
    course
      ? {
          area: course.area,
          indication: course.indication,
          plannedSessions: String(course.plannedSessions),
          plannedIntervalDays: String(course.plannedIntervalDays),
          startedOn: course.startedOn,
          notes: course.notes,
        }
      : {
          area: '',
          indication: '',
          plannedSessions: '4',
          plannedIntervalDays: '28',
          startedOn: localDay(),
          notes: '',
        },
  );
  const form = useForm();
  const createCourse = useCreateCourse();
  const updateCourse = useUpdateCourse();

  useEffect(() => {
    const first = form.errors.find((e) => e.field !== null)?.field;
    if (first) document.getElementById(idFor(first as FieldName))?.focus();
  }, [form.errors]);

  const set = (name: FieldName) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  /** A text-like control's value and change handler for one field. */
  const bind = (name: FieldName) => ({
    value: values[name],
    onChange: (e: { target: { value: string } }) => set(name)(e.target.value),
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.saving) return;
    const data = {
      area: values.area as Course['area'],
      indication: values.indication as Course['indication'],
      plannedSessions: numberOrMissing(values.plannedSessions),
      plannedIntervalDays: numberOrMissing(values.plannedIntervalDays),
      startedOn: values.startedOn,
      notes: values.notes,
    };
    const saved = course
      ? await form.save('courses.update', { id: course.id, patch: data }, { fieldOf, send: updateCourse })
      : await form.save('courses.create', { clientId, ...data }, { fieldOf, send: createCourse });
    if (saved) onSaved(saved.value);
  }

  const errorFor = (name: FieldName) => form.errorFor(name);
  const title = course ? 'Edit course' : 'New course';

  return (
    <DialogForm
      dialogRef={dialogRef}
      onCancel={onDialogCancel}
      titleId={`${ID_PREFIX}-title`}
      title={title}
      onSubmit={(e) => void submit(e)}
    >
      <ErrorSummary
        title="The course was not saved."
        errors={form.errors}
        idOf={(f) => idFor(f as FieldName)}
      />
      <div className="form-grid">
        <Field id={idFor('area')} label="Treatment area" required error={errorFor('area')}>
          {(a) => (
            <select {...a} {...bind('area')}>
              <LabelOptions labels={AREAS} keys={AREA_KEYS} empty="Choose an area…" />
            </select>
          )}
        </Field>
        <Field id={idFor('indication')} label="Indication" required error={errorFor('indication')}>
          {(a) => (
            <select {...a} {...bind('indication')}>
              <LabelOptions labels={INDICATIONS} keys={INDICATION_KEYS} empty="Choose an indication…" />
            </select>
          )}
        </Field>
        {PLAN_FIELDS.map(({ name, label, hint, max }) => (
          <Field key={name} id={idFor(name)} label={label} hint={hint} required error={errorFor(name)}>
            {(a) => (
              <input {...a} type="number" inputMode="numeric" min={1} max={max} step={1} {...bind(name)} />
            )}
          </Field>
        ))}
        <Field id={idFor('startedOn')} label="Start date" required error={errorFor('startedOn')}>
          {(a) => <input {...a} type="date" {...bind('startedOn')} />}
        </Field>
      </div>
      <Field id={idFor('notes')} label="Notes" error={errorFor('notes')}>
        {(a) => <textarea {...a} rows={3} {...bind('notes')} />}
      </Field>
      <FormActions saving={form.saving} saveLabel="Save course" onCancel={onCancel} />
    </DialogForm>
  );
}
