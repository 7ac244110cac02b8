import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ProgressEvent } from '../../../contract/result.js';
import type { Client, ClientListItem } from '../../../contract/schemas.js';
import { call, onProgress } from '../api.js';
import { clientName, plural } from '../format.js';
import { useDebouncedValue } from '../useDebouncedValue.js';
import { ClientForm } from './ClientForm.js';
import { ClientList } from './ClientList.js';
import { DemoProgress, type DemoState } from './DemoProgress.js';
import { EmptyState } from './EmptyState.js';
import { PlusIcon, SearchIcon } from './Icons.js';

const SEARCH_DELAY_MS = 100;
const PAGE_SIZE = 100;

interface Page {
  items: ClientListItem[];
  total: number;
  /** The search this page answers. */
  query: string;
  /** Which request produced it, to tell whether a newer one is still on its way. */
  request: number;
}

interface Props {
  /** Something other than the list changed (e.g. the demo load set the clinic name). */
  onDataChanged: () => void;
}

/** The start page: search, list and create clients; fill an empty clinic with the demo data. */
export function ClientsPage({ onDataChanged }: Props) {
  const [query, setQuery] = useState('');
  const settledQuery = useDebouncedValue(query.trim(), SEARCH_DELAY_MS);
  const [page, setPage] = useState<Page | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [reloadCount, setReloadCount] = useState(0);
  const [formOpen, setFormOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [newClientId, setNewClientId] = useState<string | null>(null);
  const [demo, setDemo] = useState<DemoState | null>(null);
  const [demoError, setDemoError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  const formWasOpen = useRef(false);

  // When the form closes (saved or cancelled), focus goes back to the button that opened it; the
  // dialog is removed from the page rather than closed, so the browser does not do that itself.
  useEffect(() => {
    if (formWasOpen.current && !formOpen) newButtonRef.current?.focus();
    formWasOpen.current = formOpen;
  }, [formOpen]);

  const reload = useCallback(() => setReloadCount((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    const request = reloadCount;
    void call('clients.list', { query: settledQuery, limit: PAGE_SIZE }).then((reply) => {
      if (!current) return; // a newer search has started; its answer wins
      if (reply.ok) {
        setPage({ ...reply.value, query: settledQuery, request });
        setLoadError(null);
      } else {
        setLoadError(reply.error);
      }
    });
    return () => {
      current = false;
    };
  }, [settledQuery, reloadCount]);

  // Progress events are subscribed for the page's lifetime, so the stream is open before a job
  // starts; events that arrive before the job id is known are kept and applied once it is.
  const demoJobId = useRef<string | null>(null);
  const earlyEvents = useRef<ProgressEvent[]>([]);
  const applyProgress = useCallback(
    (event: ProgressEvent) => {
      setDemo({
        phase: event.error ? 'failed' : event.finished ? 'done' : 'running',
        label: event.label,
        done: event.done,
        total: event.total,
        ...(event.error ? { error: event.error } : {}),
      });
      if (event.finished) {
        demoJobId.current = null;
        reload();
        onDataChanged();
      }
    },
    [reload, onDataChanged],
  );
  const applyRef = useRef(applyProgress);
  useEffect(() => {
    applyRef.current = applyProgress;
  }, [applyProgress]);
  useEffect(
    () =>
      onProgress((event) => {
        if (demoJobId.current === null) earlyEvents.current.push(event);
        else if (event.jobId === demoJobId.current) applyRef.current(event);
      }),
    [],
  );

  async function loadDemo() {
    setDemoError(null);
    earlyEvents.current = [];
    setDemo({ phase: 'starting', label: 'Loading the demo clinic', done: 0, total: 0 });
    const reply = await call('demo.load', {});
    if (!reply.ok) {
      setDemo(null);
      setDemoError(reply.error.message);
      return;
    }
    const { jobId } = reply.value;
    const early = earlyEvents.current.filter((e) => e.jobId === jobId);
    earlyEvents.current = [];
    const latest = early[early.length - 1];
    if (latest?.finished) {
      applyProgress(latest);
    } else {
      demoJobId.current = jobId;
      if (latest) applyProgress(latest);
    }
  }

  function saved(client: Client) {
    setFormOpen(false);
    setStatus(`${clientName(client)} was saved.`);
    setNewClientId(client.id);
    setQuery('');
    reload();
  }

  const isEmptyClinic = page !== null && page.total === 0 && page.query === '';
  const loading = page !== null && (page.query !== settledQuery || page.request !== reloadCount);
  const demoBusy = demo?.phase === 'starting' || demo?.phase === 'running';

  return (
    <>
      <div className="page-head">
        <h1>Clients</h1>
        <button
          ref={newButtonRef}
          type="button"
          className="button primary"
          onClick={() => {
            setStatus('');
            setFormOpen(true);
          }}
        >
          <PlusIcon />
          New client
        </button>
      </div>

      <div className="search-row">
        <label htmlFor="client-search" className="search-label">
          Search clients
        </label>
        <div className="search-box">
          <SearchIcon />
          <input
            ref={searchRef}
            id="client-search"
            type="search"
            autoComplete="off"
            spellCheck={false}
            placeholder="First or last name"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          {query !== '' && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                setQuery('');
                searchRef.current?.focus();
              }}
            >
              Clear search
            </button>
          )}
        </div>
      </div>

      <p className="status-line" role="status">
        {status}
      </p>

      {demo && <DemoProgress state={demo} onDismiss={() => setDemo(null)} />}
      {demoError && (
        <div role="alert" className="notice notice-error">
          {demoError}
        </div>
      )}

      {loadError && (
        <div role="alert" className="notice notice-error">
          <p>The client list could not be loaded: {loadError.message}</p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}

      {page === null && !loadError && <p className="muted">Loading clients…</p>}

      {page !== null && (
        <>
          <p className="count" aria-live="polite">
            {countText(page)}
          </p>
          {isEmptyClinic ? (
            <EmptyState onLoadDemo={() => void loadDemo()} demoBusy={demoBusy} />
          ) : page.items.length === 0 ? (
            <p className="no-match">No client’s name matches “{page.query}”.</p>
          ) : (
            <ClientList items={page.items} busy={loading} highlightId={newClientId} />
          )}
        </>
      )}

      {formOpen && <ClientForm onSaved={saved} onCancel={() => setFormOpen(false)} />}
    </>
  );
}

function countText(page: Page): string {
  if (page.query === '') {
    return page.items.length < page.total
      ? `Showing ${page.items.length} of ${plural(page.total, 'client', 'clients')}`
      : plural(page.total, 'client', 'clients');
  }
  const matches = `${plural(page.total, 'client matches', 'clients match')} “${page.query}”`;
  return page.items.length < page.total ? `${matches} (showing ${page.items.length})` : matches;
}
