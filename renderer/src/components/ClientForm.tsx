import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CONTRAINDICATION_KEYS, CONTRAINDICATIONS, type Contraindication } from '../../../contract/domain.js';
import type { Client, ClientInput } from '../../../contract/schemas.js';
import { ErrorSummary, focusControl } from '../forms/ErrorSummary.js';
import { fieldIn } from '../forms/fieldIn.js';
import { useForm } from '../forms/useForm.js';
import { useCreateClient, useUpdateClient } from '../data/clients.js';
import { FITZPATRICK_OPTIONS } from '../format.js';
import { Field } from './Field.js';
import { FormActions } from './FormActions.js';
import { useModalDialog } from './useModalDialog.js';
import { DialogForm } from './DialogForm.js';

interface Props {
  /** The client to edit; a new client when absent. */
  client?: Client;
  onSaved: (client: Client) => void;
  onCancel: () => void;
}

interface Values {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  phone: string;
  email: string;
  fitzpatrick: string;
  contraindications: Contraindication[];
  contraindicationNotes: string;
  notes: string;
}

const EMPTY: Values = {
  firstName: '',
  lastName: '',
  dateOfBirth: '',
  phone: '',
  email: '',
  fitzpatrick: '',
  contraindications: [],
  contraindicationNotes: '',
  notes: '',
};

type FieldName = keyof Values;
/** The fields edited as text (every one but the contraindication checkboxes). */
type TextField = Exclude<FieldName, 'contraindications'>;
const FIELD_NAMES = Object.keys(EMPTY) as FieldName[];

/** The form field an API error belongs to: "contraindications.2" or "patch.contraindications.2" → "contraindications". */
const fieldOf = fieldIn(FIELD_NAMES);

const ID_PREFIX = 'client-form';
const idFor = (name: FieldName) => `${ID_PREFIX}-${name}`;

function fromClient(c: Client): Values {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    dateOfBirth: c.dateOfBirth ?? '',
    phone: c.phone,
    email: c.email,
    fitzpatrick: c.fitzpatrick === null ? '' : String(c.fitzpatrick),
    contraindications: c.contraindications,
    contraindicationNotes: c.contraindicationNotes,
    notes: c.notes,
  };
}

function toInput(v: Values): ClientInput {
  return {
    firstName: v.firstName,
    lastName: v.lastName,
    dateOfBirth: v.dateOfBirth === '' ? null : v.dateOfBirth,
    phone: v.phone,
    email: v.email,
    fitzpatrick: v.fitzpatrick === '' ? null : Number(v.fitzpatrick),
    contraindications: v.contraindications,
    contraindicationNotes: v.contraindicationNotes,
    notes: v.notes,
  };
}

/**
 * "New client" (or "Edit client", given a client) as a modal dialog. The contract validates; this form only shows what it says, next
 * to the field it names, plus a summary that screen readers announce.
 */
export function ClientForm({ client, onSaved, onCancel }: Props) {
  const { ref: dialogRef, onCancel: onDialogCancel } = useModalDialog(`#${idFor('firstName')}`, onCancel, {
    returnFocus: false,
  });
  const formRef = useRef<HTMLFormElement>(null);
  const dobRef = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<Values>(() => (client ? fromClient(client) : EMPTY));
  const form = useForm();
  const createClient = useCreateClient();
  const updateClient = useUpdateClient();

  // After a refused save, take the practitioner to the first field that needs attention.
  useEffect(() => {
    const first = form.errors.find((e) => e.field !== null)?.field;
    if (first) focusControl(idFor(first as FieldName));
  }, [form.errors]);

  const set =
    <K extends FieldName>(name: K) =>
    (value: Values[K]) =>
      setValues((v) => ({ ...v, [name]: value }));
  /** A text-like control's value and change handler for one field. */
  const bind = (name: TextField) => ({
    value: values[name],
    onChange: (e: { target: { value: string } }) => set(name)(e.target.value),
  });

  const toggleContraindication = (key: Contraindication, checked: boolean) =>
    setValues((v) => ({
      ...v,
      contraindications: checked
        ? CONTRAINDICATION_KEYS.filter((k) => k === key || v.contraindications.includes(k))
        : v.contraindications.filter((k) => k !== key),
    }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (form.saving) return;
    // A half-typed date reads as "" in a date input: say so instead of silently saving no date.
    const also = dobRef.current?.validity.badInput
      ? [
          {
            field: 'dateOfBirth',
            message: 'Date of birth is incomplete: enter day, month and year, or clear it.',
          },
        ]
      : [];
    const saved = client
      ? await form.save(
          'clients.update',
          { id: client.id, patch: toInput(values) },
          { fieldOf, also, send: updateClient },
        )
      : await form.save('clients.create', toInput(values), { fieldOf, also, send: createClient });
    if (saved) onSaved(saved.value);
  }

  // Enter submits from any single-line field (the browser does that); Ctrl/⌘+Enter also from notes.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      formRef.current?.requestSubmit();
    }
  }

  const errorFor = (name: FieldName) => form.errorFor(name);

  return (
    <DialogForm
      dialogRef={dialogRef}
      onCancel={onDialogCancel}
      titleId={`${ID_PREFIX}-title`}
      title={client ? 'Edit client' : 'New client'}
      onSubmit={(e) => void submit(e)}
      formRef={formRef}
      onKeyDown={onKeyDown}
    >
      <ErrorSummary
        title="The client was not saved."
        errors={form.errors}
        idOf={(f) => idFor(f as FieldName)}
      />

      <div className="form-grid">
        <Field id={idFor('firstName')} label="First name" required error={errorFor('firstName')}>
          {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} {...bind('firstName')} />}
        </Field>
        <Field id={idFor('lastName')} label="Last name" error={errorFor('lastName')}>
          {(a) => <input {...a} type="text" autoComplete="off" spellCheck={false} {...bind('lastName')} />}
        </Field>
        <Field id={idFor('dateOfBirth')} label="Date of birth" error={errorFor('dateOfBirth')}>
          {(a) => <input {...a} ref={dobRef} type="date" min="1900-01-01" {...bind('dateOfBirth')} />}
        </Field>
        <Field id={idFor('fitzpatrick')} label="Fitzpatrick skin type" error={errorFor('fitzpatrick')}>
          {(a) => (
            <select {...a} {...bind('fitzpatrick')}>
              <option value="">Not recorded</option>
              {FITZPATRICK_OPTIONS.map((o) => (
                <option key={o.value} value={String(o.value)}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={idFor('phone')} label="Phone" error={errorFor('phone')}>
          {(a) => <input {...a} type="tel" autoComplete="off" {...bind('phone')} />}
        </Field>
        <Field id={idFor('email')} label="Email" error={errorFor('email')}>
          {(a) => <input {...a} type="email" autoComplete="off" spellCheck={false} {...bind('email')} />}
        </Field>
      </div>

      <fieldset
        id={idFor('contraindications')}
        className={errorFor('contraindications') ? 'checks has-error' : 'checks'}
        aria-describedby={errorFor('contraindications') ? `${idFor('contraindications')}-error` : undefined}
      >
        <legend>Contraindications</legend>
        {errorFor('contraindications') && (
          <p id={`${idFor('contraindications')}-error`} className="field-error">
            {errorFor('contraindications')}
          </p>
        )}
        <div className="check-grid">
          {CONTRAINDICATION_KEYS.map((key) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                name="contraindications"
                value={key}
                checked={values.contraindications.includes(key)}
                onChange={(e) => toggleContraindication(key, e.target.checked)}
              />
              <span>{CONTRAINDICATIONS[key]}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <Field
        id={idFor('contraindicationNotes')}
        label="Contraindication notes"
        error={errorFor('contraindicationNotes')}
      >
        {(a) => <textarea {...a} rows={2} {...bind('contraindicationNotes')} />}
      </Field>
      <Field id={idFor('notes')} label="Notes" error={errorFor('notes')}>
        {(a) => <textarea {...a} rows={3} {...bind('notes')} />}
      </Field>

      <FormActions saving={form.saving} saveLabel="Save client" onCancel={onCancel} />
    </DialogForm>
  );
}
