interface Props {
  onLoadDemo: () => void;
  demoBusy: boolean;
}

/** What a brand-new clinic sees: how to start, with real records or with the demo clinic. */
export function EmptyState({ onLoadDemo, demoBusy }: Props) {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">No clients yet</h2>
      <p>
        Add your first client with <strong>New client</strong> to start recording treatment courses, or load
        the demo clinic to look around with made-up records.
      </p>
      <div className="empty-actions">
        <button type="button" className="button" onClick={onLoadDemo} disabled={demoBusy}>
          Load demo clinic
        </button>
      </div>
    </section>
  );
}
