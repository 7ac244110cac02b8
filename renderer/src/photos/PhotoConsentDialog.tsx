import { useState, type FormEvent } from 'react';
import {
  PHOTO_CONSENT_SCOPE_HINTS,
  PHOTO_CONSENT_SCOPE_KEYS,
  PHOTO_CONSENT_SCOPES,
  type PhotoConsentScope,
} from '../../../contract/domain.js';
import type { Session } from '../../../contract/schemas.js';
import { FormActions } from '../components/FormActions.js';
import { useModalDialog } from '../components/useModalDialog.js';
import { PhotoScopeChoice } from './PhotoScopeChoice.js';
import { useForm } from '../forms/useForm.js';
import { useRecordPhotoConsent } from '../data/photos.js';
import { formatDate, localDay } from '../format.js';
import { DialogForm } from '../components/DialogForm.js';

interface Props {
  session: Pick<Session, 'id' | 'number'>;
  /** When the client last declined, if they did: said in the question. */
  declinedAt: string | null;
  /** What was about to happen, e.g. "2 photos are waiting to be added." */
  waiting: string;
  /** The answer was recorded: a scope (go on) or declined (what was waiting is dropped). */
  onAnswered: (session: Session) => void;
  /** Closed without an answer: nothing recorded, nothing added. */
  onCancel: () => void;
}

/**
 * Asked before the first photo of a session without photo consent: the client chooses what their
 * photos may be used for, or declines. Either answer is saved on the session (and audited).
 */
export function PhotoConsentDialog({ session, declinedAt, waiting, onAnswered, onCancel }: Props) {
  const { ref: dialogRef, onCancel: onDialogCancel } = useModalDialog('input[type="radio"]', onCancel);
  const [scope, setScope] = useState<PhotoConsentScope | null>(null);
  const form = useForm();
  const recordConsent = useRecordPhotoConsent();
  const { saving, message: error } = form;

  async function answer(value: PhotoConsentScope | 'declined') {
    if (saving) return;
    const saved = await form.save(
      'photos.consent',
      { sessionId: session.id, answer: value },
      { send: recordConsent },
    );
    if (saved) onAnswered(saved.value);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (scope) void answer(scope);
    else
      form.fail([
        { field: null, message: 'Choose what the client agreed to, or record that they declined.' },
      ]);
  }

  return (
    <DialogForm
      dialogRef={dialogRef}
      onCancel={onDialogCancel}
      className="ph-consent"
      titleId="ph-consent-title"
      title={`Photo consent for session ${session.number}`}
      describedBy="ph-consent-intro"
      onSubmit={submit}
    >
      <p id="ph-consent-intro">
        {declinedAt
          ? `The client declined photo consent for this session on ${formatDate(localDay(declinedAt))}.`
          : 'No photo consent is recorded for this session.'}{' '}
        Ask the client what their photos may be used for before any photo is taken or added. {waiting}
      </p>
      {error && (
        <p role="alert" className="form-summary">
          {error}
        </p>
      )}
      <PhotoScopeChoice
        name="ph-consent-scope"
        legend="The client agrees to photos for"
        scopes={PHOTO_CONSENT_SCOPE_KEYS}
        label={(k) => PHOTO_CONSENT_SCOPES[k]}
        hint={(k) => PHOTO_CONSENT_SCOPE_HINTS[k]}
        value={scope}
        onChange={(k) => {
          setScope(k);
          form.clear();
        }}
      />
      <FormActions
        saving={saving}
        saveLabel="Record consent and continue"
        busyLabel="Record consent and continue"
        onCancel={onCancel}
      >
        <button
          type="button"
          className="button danger"
          disabled={saving}
          onClick={() => void answer('declined')}
        >
          Client declined
        </button>
      </FormActions>
    </DialogForm>
  );
}
