import { useState, type FormEvent } from 'react';
import type { SessionSigning } from '../../../contract/signing.js';
import { FormActions } from '../components/FormActions.js';
import { useModalDialog } from '../components/useModalDialog.js';
import { useForm } from '../forms/useForm.js';
import { useCosignSession, useSignSession } from '../data/signing.js';
import { PinInput } from '../auth/PinInput.js';
import { DialogForm } from '../components/DialogForm.js';

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
  const { ref: dialogRef, onCancel: onDialogCancel } = useModalDialog('input', onCancel);
  const [pin, setPin] = useState('');
  const form = useForm();
  const signSession = useSignSession();
  const cosignSession = useCosignSession();
  const busy = form.saving;
  const error = form.message;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    if (pin === '') {
      form.fail([{ field: 'pin', message: 'Type your PIN to sign.' }]);
      return;
    }
    // Whatever is refused (a wrong PIN, a wait), the message goes under the PIN.
    const saved = await form.save(
      role === 'author' ? 'signing.sign' : 'signing.cosign',
      { sessionId, pin },
      {
        fieldOf: () => 'pin',
        send: role === 'author' ? signSession : cosignSession,
      },
    );
    if (saved) onSigned(saved.value);
    else setPin('');
  }

  const title = role === 'author' ? `Sign session ${sessionNumber}` : `Co-sign session ${sessionNumber}`;
  return (
    <DialogForm
      dialogRef={dialogRef}
      onCancel={onDialogCancel}
      className="sg-dialog"
      titleId="sg-dialog-title"
      title={title}
      describedBy="sg-dialog-intro"
      onSubmit={(e) => void submit(e)}
    >
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
          form.clear();
        }}
        error={error ?? undefined}
        autoComplete="current-password"
      />
      <FormActions
        saving={busy}
        saveLabel={role === 'author' ? 'Sign session' : 'Co-sign session'}
        busyLabel="Signing…"
        onCancel={onCancel}
      />
    </DialogForm>
  );
}
