import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SessionSigning } from '../../../contract/signing.js';
import { call } from '../api.js';
import { PinInput } from '../auth/PinInput.js';

interface Props {
  sessionId: string;
  sessionNumber: number;
  /** The practitioner's own signature, or a manager's co-signature. */
  role: 'author' | 'cosigner';
  signerName: string;
  onSigned: (state: SessionSigning) => void;
  onCancel: () => void;
}

/** Asks the signer's PIN again before a session is signed or co-signed: the signature is theirs. */
export function SignDialog({ sessionId, sessionNumber, role, signerName, onSigned, onCancel }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = dialog.ownerDocument.activeElement;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLInputElement>('input')?.focus();
    return () => {
      dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (pin === '') {
      setError('Type your PIN to sign.');
      return;
    }
    setBusy(true);
    const reply = await call(role === 'author' ? 'signing.sign' : 'signing.cosign', { sessionId, pin });
    setBusy(false);
    if (reply.ok) onSigned(reply.value);
    else {
      setPin('');
      setError(reply.error.message);
    }
  }

  const title = role === 'author' ? `Sign session ${sessionNumber}` : `Co-sign session ${sessionNumber}`;
  return (
    <dialog
      ref={dialogRef}
      className="dialog sg-dialog"
      aria-labelledby="sg-dialog-title"
      aria-describedby="sg-dialog-intro"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form noValidate onSubmit={(e) => void submit(e)} className="client-form">
        <h2 id="sg-dialog-title">{title}</h2>
        <p id="sg-dialog-intro">
          {role === 'author'
            ? `Signing locks the record as it is now. Later corrections are saved as addenda, with who made them, when and why; the signed record stays as it was.`
            : `Your co-signature, as a manager, confirms the session as signed by its practitioner.`}{' '}
          {signerName}, type your PIN to sign.
        </p>
        <PinInput
          id="sg-pin"
          label="PIN"
          value={pin}
          onChange={(v) => {
            setPin(v);
            setError(null);
          }}
          error={error ?? undefined}
          autoComplete="current-password"
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Signing…' : role === 'author' ? 'Sign session' : 'Co-sign session'}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
