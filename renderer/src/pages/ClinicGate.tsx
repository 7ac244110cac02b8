import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError, ProgressEvent } from '../../../contract/result.js';
import { MIN_PASSPHRASE_LENGTH } from '../../../contract/domain.js';
import { call, onProgress } from '../api.js';
import { useClinicStatus } from '../data/clinic.js';
import { apiError } from '../data/query.js';
import { Frame } from '../components/Frame.js';
import { PasswordField } from '../components/PasswordField.js';

/**
 * Nothing of the clinic is shown (or readable) until it is open: a new clinic is set up with its
 * passphrase and recovery key first, an encrypted one asks for its passphrase ("Unlock clinic"), a
 * clinic made before encryption is encrypted first. Then the app itself (and its sign-in).
 */
export function ClinicGate({ children }: { children: ReactNode }) {
  const clinic = useClinicStatus();
  // Opened here (unlocked, set up, encrypted): the status read when the app started is past.
  const [opened, setOpened] = useState<'open' | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const failure = apiError(clinic.error);
  // No host, or a stale token: the app says so in its own way.
  const state = opened ?? (failure?.code === 'unauthorized' ? 'open' : (clinic.data?.state ?? null));
  const problem = failure && failure.code !== 'unauthorized' ? failure.message : null;

  if (recoveryKey) return <RecoveryKeyPage recoveryKey={recoveryKey} onDone={() => setRecoveryKey(null)} />;
  if (state === 'open') return <>{children}</>;
  return (
    <Frame>
      {problem && (
        <div role="alert" className="notice notice-error">
          {problem}
        </div>
      )}
      {state === null && !problem && <p className="muted">Opening NeedleLog…</p>}
      {state === 'locked' && <UnlockPage onOpen={() => setOpened('open')} />}
      {state === 'new' && (
        <NewPassphrasePage
          mode="setup"
          onDone={(key) => {
            setRecoveryKey(key);
            setOpened('open');
          }}
        />
      )}
      {state === 'plaintext' && (
        <NewPassphrasePage
          mode="encrypt"
          onDone={(key) => {
            setRecoveryKey(key);
            setOpened('open');
          }}
        />
      )}
    </Frame>
  );
}

function UnlockPage({ onOpen }: { onOpen: () => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await call('clinic.unlock', { secret });
    setBusy(false);
    if (r.ok) onOpen();
    else {
      setError(r.error);
      document.getElementById('unlock-secret')?.focus();
    }
  }

  return (
    <section className="welcome gate" aria-labelledby="unlock-title">
      <h1 id="unlock-title">Unlock clinic</h1>
      <p className="welcome-lead">
        The clinic’s records and photos are encrypted on this computer. Type the clinic passphrase, or the
        recovery key if the passphrase is lost.
      </p>
      <form noValidate onSubmit={submit} className="welcome-form">
        <PasswordField
          id="unlock-secret"
          label="Clinic passphrase or recovery key"
          error={error?.message}
          autoComplete="current-password"
          autoFocus
          value={secret}
          onChange={setSecret}
        />
        <div className="welcome-actions">
          <button type="submit" className="button primary large" disabled={busy}>
            {busy ? 'Unlocking…' : 'Unlock clinic'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** First run ("setup") or a clinic made before encryption ("encrypt"): the passphrase, typed twice. */
function NewPassphrasePage({
  mode,
  onDone,
}: {
  mode: 'setup' | 'encrypt';
  onDone: (recoveryKey: string) => void;
}) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgressState] = useState<ProgressEvent | null>(null);

  useEffect(
    () =>
      onProgress((e) => {
        if (e.jobId === 'encrypt') setProgressState(e);
      }),
    [],
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await call(mode === 'setup' ? 'clinic.setup' : 'clinic.encrypt', { passphrase, confirm });
    setBusy(false);
    if (r.ok) onDone(r.value.recoveryKey);
    else {
      setError(r.error);
      document.getElementById(r.error.field === 'confirm' ? 'gate-confirm' : 'gate-passphrase')?.focus();
    }
  }

  const errorFor = (f: 'passphrase' | 'confirm') =>
    error && (error.field === f || (f === 'passphrase' && error.field !== 'confirm'))
      ? error.message
      : undefined;

  return (
    <section className="welcome gate" aria-labelledby="gate-title">
      <h1 id="gate-title">{mode === 'setup' ? 'Protect this clinic' : 'Encrypt this clinic'}</h1>
      <p className="welcome-lead">
        {mode === 'setup'
          ? 'Everything NeedleLog stores — records, photos, backups — is encrypted on this computer. Choose the clinic passphrase that unlocks it.'
          : 'This clinic was made before NeedleLog encrypted its data. Choose the clinic passphrase; NeedleLog backs up first, then encrypts the records and every photo. This can take a few minutes.'}
      </p>
      <form noValidate onSubmit={submit} className="welcome-form">
        <PasswordField
          id="gate-passphrase"
          label="Clinic passphrase"
          hint={`At least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are easy to remember and hard to guess.`}
          error={errorFor('passphrase')}
          autoComplete="new-password"
          autoFocus
          value={passphrase}
          onChange={setPassphrase}
        />
        <PasswordField
          id="gate-confirm"
          label="Type it again"
          error={errorFor('confirm')}
          autoComplete="new-password"
          value={confirm}
          onChange={setConfirm}
        />
        {busy && progress && !progress.finished && (
          <p role="status">
            {progress.label}
            {progress.total > 1 ? ` (${progress.done} of ${progress.total})` : ''}…
          </p>
        )}
        <div className="welcome-actions">
          <button type="submit" className="button primary large" disabled={busy}>
            {busy
              ? mode === 'setup'
                ? 'Setting up…'
                : 'Encrypting…'
              : mode === 'setup'
                ? 'Protect the clinic'
                : 'Encrypt the clinic'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The recovery key, shown once: to print or write down and keep away from the computer. */
function RecoveryKeyPage({ recoveryKey, onDone }: { recoveryKey: string; onDone: () => void }) {
  const [kept, setKept] = useState(false);
  return (
    <Frame>
      <RecoveryKeyPanel recoveryKey={recoveryKey}>
        <label className="checkbox">
          <input type="checkbox" checked={kept} onChange={(e) => setKept(e.target.checked)} /> I have printed
          or written down the recovery key and will keep it safe
        </label>
        <div className="welcome-actions">
          <button type="button" className="button primary large" disabled={!kept} onClick={onDone}>
            Continue
          </button>
        </div>
      </RecoveryKeyPanel>
    </Frame>
  );
}

export function RecoveryKeyPanel({ recoveryKey, children }: { recoveryKey: string; children?: ReactNode }) {
  return (
    <section className="welcome gate recovery-key" aria-labelledby="recovery-title">
      <h1 id="recovery-title">Your recovery key</h1>
      <p className="welcome-lead">
        It opens the clinic if the passphrase is ever forgotten. NeedleLog shows it only now and cannot show
        it again. Print it or write it down, and keep it somewhere safe away from this computer (a locked
        drawer, the clinic safe). Without the passphrase and without this key, nobody — not even NeedleLog —
        can open the records.
      </p>
      <p className="recovery-key-groups" aria-label={`Recovery key: ${recoveryKey.split('-').join(' ')}`}>
        {recoveryKey.split('-').map((g, i) => (
          <code key={i}>{g}</code>
        ))}
      </p>
      <button type="button" className="button" onClick={() => window.print()}>
        Print the recovery key
      </button>
      {children}
    </section>
  );
}
