import { PHOTO_CONSENT_SCOPES, type PhotoConsentScope } from '../../../contract/domain.js';
import { formatDate, localDay } from '../format.js';

/** The session's photo consent in one line: its scope, a declined answer, or none recorded yet. */
export function PhotoConsentLine({
  scope,
  declinedAt,
}: {
  scope: PhotoConsentScope | null;
  declinedAt: string | null;
}) {
  return (
    <p className={scope ? 'ph-consent-line' : 'ph-consent-line is-missing'}>
      {scope ? (
        <>
          <strong>Photo consent: {PHOTO_CONSENT_SCOPES[scope]}.</strong> Each photo keeps the scope it was
          added under.
        </>
      ) : declinedAt ? (
        <>
          <strong>The client declined photo consent</strong> ({formatDate(localDay(declinedAt))}). No photo
          can be added unless they agree: you will be asked again.
        </>
      ) : (
        <>
          <strong>No photo consent recorded yet.</strong> You will be asked for it before the first photo.
        </>
      )}
    </p>
  );
}
