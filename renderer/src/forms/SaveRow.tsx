/** A settings form's Save button and the line beside it that says what was saved. */
export function SaveRow({
  label,
  saving,
  status,
  className = 'inline-actions',
}: {
  label: string;
  saving: boolean;
  status: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <button type="submit" className="button primary" disabled={saving}>
        {label}
      </button>
      <p role="status" className="saved-note">
        {status}
      </p>
    </div>
  );
}
