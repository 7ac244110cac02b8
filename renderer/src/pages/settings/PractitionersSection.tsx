import { useEffect, useState, type FormEvent } from 'react';
import { PIN_HINT } from '../../../../contract/domain.js';
import type { Practitioner } from '../../../../contract/schemas.js';
import { PinInput } from '../../auth/PinInput.js';
import { Field } from '../../components/Field.js';
import { PlusIcon } from '../../components/Icons.js';
import { fieldIn } from '../../forms/fieldIn.js';
import { FormAlert } from '../../forms/FormAlert.js';
import { useForm } from '../../forms/useForm.js';
import {
  useCreatePractitioner,
  useDeletePractitioner,
  useResetPin,
  useUpdatePractitioner,
} from '../../data/clinic.js';

/** Settings → Practitioners: who works here, their roles and PINs; add, rename, remove. */
export function PractitionersSection({
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
  const form = useForm();
  const createPractitioner = useCreatePractitioner();
  const updatePractitioner = useUpdatePractitioner();
  const deletePractitioner = useDeletePractitioner();
  const resetPin = useResetPin();
  const [status, setStatus] = useState('');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [resettingId, setResettingId] = useState<string | null>(null);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const created = await form.save(
      'practitioners.create',
      { name, credentials, role },
      {
        fieldOf: fieldIn(['name', 'credentials', 'role']),
        also: pinAllowed(pin) ? [] : [{ field: 'pin', message: `Give them a first PIN. ${PIN_HINT}` }],
        send: createPractitioner,
      },
    );
    if (!created) return;
    const added = created.value;
    const pinReply = await resetPin({ id: added.id, pin });
    setName('');
    setCredentials('');
    setRole('practitioner');
    setPin('');
    setStatus(
      pinReply.ok
        ? `${added.name} was added. Tell them their first PIN; they can change it in Settings.`
        : `${added.name} was added without a PIN (${pinReply.error.message}); they choose one at their first sign-in.`,
    );
    onChanged();
  }

  async function changeRole(p: Practitioner) {
    const next = p.role === 'manager' ? 'practitioner' : 'manager';
    const reply = await updatePractitioner({ id: p.id, patch: { role: next } });
    setStatus(
      reply.ok
        ? `${p.name} is now ${next === 'manager' ? 'a manager' : 'a practitioner'}.`
        : `${p.name} was not changed: ${reply.error.message}`,
    );
    if (reply.ok) onChanged();
  }

  async function remove(p: Practitioner) {
    const reply = await deletePractitioner({ id: p.id });
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
      <form
        noValidate
        onSubmit={(e) => void add(e)}
        className="add-practitioner"
        aria-labelledby="add-practitioner-title"
      >
        <h3 id="add-practitioner-title">Add practitioner</h3>
        <div className="form-grid">
          <Field id="new-practitioner-name" label="Name" required error={form.errorFor('name')}>
            {(a) => <input {...a} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field id="new-practitioner-credentials" label="Credentials" error={form.errorFor('credentials')}>
            {(a) => (
              <input
                {...a}
                type="text"
                value={credentials}
                onChange={(e) => setCredentials(e.target.value)}
              />
            )}
          </Field>
          <Field id="new-practitioner-role" label="Role" error={form.errorFor('role')}>
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
            error={form.errorFor('pin')}
            autoComplete="new-password"
          />
        </div>
        <FormAlert errors={form.errors} />
        <div className="inline-actions">
          <button type="submit" className="button primary" disabled={form.saving}>
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
  const form = useForm();
  const resetPin = useResetPin();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Whatever is refused, it is about the PIN typed: the message goes under it.
    const saved = await form.save(
      'auth.resetPin',
      { id: practitioner.id, pin },
      { fieldOf: () => 'pin', send: resetPin },
    );
    if (saved) onDone(`${practitioner.name} has a new PIN. Tell them; they can change it in Settings.`);
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
        error={form.errorFor('pin')}
        autoFocus
        autoComplete="new-password"
      />
      <EditorActions label="Set new PIN" onCancel={() => onDone(null)} />
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
  const form = useForm();
  const updatePractitioner = useUpdatePractitioner();
  const idBase = `edit-practitioner-${practitioner.id}`;

  useEffect(() => {
    document.getElementById(`${idBase}-name`)?.focus();
  }, [idBase]);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saved = await form.save(
      'practitioners.update',
      { id: practitioner.id, patch: { name, credentials } },
      { fieldOf: fieldIn(['name', 'credentials']), send: updatePractitioner },
    );
    if (saved) onDone(`${saved.value.name} was saved.`);
  }

  const { errorFor } = form;
  return (
    <form
      noValidate
      onSubmit={(e) => void save(e)}
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
      <FormAlert errors={form.errors} />
      <EditorActions label="Save name" saving={form.saving} onCancel={() => onDone(null)} />
    </form>
  );
}

/** An inline editor's Save and Cancel, small beside the row it edits. */
function EditorActions({
  label,
  saving,
  onCancel,
}: {
  label: string;
  saving?: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="inline-actions">
      <button type="submit" className="button primary small" disabled={saving}>
        {label}
      </button>
      <button type="button" className="button small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
