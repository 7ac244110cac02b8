import type { ReactNode } from 'react';

/**
 * A dialog form's Save and Cancel, kept in reach at the bottom however far the form scrolls; any
 * other answer (e.g. "Client declined") stands between them.
 */
export function FormActions({
  saving,
  saveLabel,
  busyLabel = 'Saving…',
  onCancel,
  children,
}: {
  saving: boolean;
  saveLabel: string;
  /** What the Save button says while it works. */
  busyLabel?: string;
  onCancel: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="button primary" disabled={saving}>
        {saving ? busyLabel : saveLabel}
      </button>
      {children}
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
