import { useState, type FormEvent } from 'react';
import { MIN_PASSPHRASE_LENGTH } from '../../../contract/domain.js';
import { useChangePassphrase, useNewRecoveryKey, useSecurityStatus } from '../data/security.js';
import { PasswordField } from '../components/PasswordField.js';
import { fieldIn } from '../forms/fieldIn.js';
import { FormAlert } from '../forms/FormAlert.js';
import { useForm } from '../forms/useForm.js';
import { formatInstant } from '../format.js';
import { RecoveryKeyPanel } from './ClinicGate.js';

/** Settings → Security (managers): is the clinic encrypted, change the passphrase, a new recovery key. */
export function SecuritySection() {
  const security = useSecurityStatus();
  const status = security.data ?? null;
  const error = security.error;

  return (
    <section className="card" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      {error && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {status && (
        <dl className="security-facts">
          <dt>Encrypted</dt>
          <dd>{status.encrypted ? 'Yes: records, photos, backups and bundles' : 'No'}</dd>
          <dt>Opens without the passphrase on this computer</dt>
          <dd>
            {status.keychain ? 'Yes (the system keychain holds the key)' : 'No: the passphrase is asked'}
          </dd>
          <dt>Passphrase set</dt>
          <dd>{status.passphraseSetAt ? formatInstant(status.passphraseSetAt) : '—'}</dd>
          <dt>Recovery key made</dt>
          <dd>{status.recoveryKeySetAt ? formatInstant(status.recoveryKeySetAt) : '—'}</dd>
        </dl>
      )}
      <ChangePassphrase />
      <NewRecoveryKey />
    </section>
  );
}

function ChangePassphrase() {
  const changePassphrase = useChangePassphrase();
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const form = useForm();
  const [done, setDone] = useState(false);
  const busy = form.saving;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setDone(false);
    const saved = await form.save(
      'security.changePassphrase',
      { current, passphrase, confirm },
      { fieldOf: fieldIn(['current', 'passphrase', 'confirm']), send: changePassphrase },
    );
    if (!saved) return;
    setDone(true);
    setCurrent('');
    setPassphrase('');
    setConfirm('');
  }
  const { errorFor } = form;

  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      className="security-form"
      aria-labelledby="change-passphrase-title"
    >
      <h3 id="change-passphrase-title">Change the clinic passphrase</h3>
      <p className="muted">
        The records are not re-encrypted: the clinic’s key is locked again under the new passphrase. Backup
        folders made before keep opening with the old passphrase.
      </p>
      <PasswordField
        id="security-current"
        label="Current passphrase"
        error={errorFor('current')}
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
      />
      <PasswordField
        id="security-new"
        label="New passphrase"
        hint={`At least ${MIN_PASSPHRASE_LENGTH} characters.`}
        error={errorFor('passphrase')}
        autoComplete="new-password"
        value={passphrase}
        onChange={setPassphrase}
      />
      <PasswordField
        id="security-confirm"
        label="New passphrase again"
        error={errorFor('confirm')}
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
      />
      <FormAlert errors={form.errors} className="notice notice-error" />
      {done && <p role="status">The passphrase was changed.</p>}
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Changing…' : 'Change the passphrase'}
      </button>
    </form>
  );
}

function NewRecoveryKey() {
  const newRecoveryKey = useNewRecoveryKey();
  const [passphrase, setPassphrase] = useState('');
  const form = useForm();
  const [key, setKey] = useState<string | null>(null);
  const busy = form.saving;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // Whatever is refused, it is about the passphrase typed: the message goes under it.
    const saved = await form.save(
      'security.newRecoveryKey',
      { passphrase },
      { fieldOf: () => 'passphrase', send: newRecoveryKey },
    );
    if (!saved) return;
    setPassphrase('');
    setKey(saved.value.recoveryKey);
  }

  if (key) return <RecoveryKeyPanel recoveryKey={key} />;
  return (
    <form
      noValidate
      onSubmit={(e) => void submit(e)}
      className="security-form"
      aria-labelledby="recovery-new-title"
    >
      <h3 id="recovery-new-title">Make a new recovery key</h3>
      <p className="muted">
        For when the printed one is lost or was seen by someone. The old recovery key stops opening the clinic
        at once.
      </p>
      <PasswordField
        id="security-recovery-passphrase"
        label="Clinic passphrase"
        error={form.errorFor('passphrase')}
        autoComplete="current-password"
        value={passphrase}
        onChange={setPassphrase}
      />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Making…' : 'Make a new recovery key'}
      </button>
    </form>
  );
}
