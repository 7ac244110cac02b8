import { photoConsentLabel, type PhotoConsentScope } from '../../../contract/domain.js';

/** The consent scope a photo was filed under, shown on its tile; a photo without one stands out. */
export function PhotoConsentTag({ scope }: { scope: PhotoConsentScope | null }) {
  return (
    <span className={scope ? `ph-consent-tag is-${scope}` : 'ph-consent-tag is-missing'}>
      {photoConsentLabel(scope)}
    </span>
  );
}
