import { UnsignedSessions } from '../signing/UnsignedSessions.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../contract/result.js';
import type { Client, ClientListItem } from '../../../contract/schemas.js';
import { call } from '../api.js';
import { plural } from '../format.js';
import { navigate } from '../router.js';
import { ClientForm } from './ClientForm.js';
import { ClientList } from './ClientList.js';
import { EmptyState } from './EmptyState.js';
import { PlusIcon, SearchIcon } from './Icons.js';

export const PAGE_SIZE = 100;

/** One search's answer, filled in page by page (100 clients each) as the list is scrolled. */
interface Results {
  /** The search this answers. */
  query: string;
  /** Which load produced it, to tell whether a newer one is still on its way. */
  request: number;
  total: number;
  pages: ReadonlyMap<number, readonly ClientListItem[]>;
}

interface Props {
  /** Bumped when records changed elsewhere (undo, demo load): the list is read again. */
  dataVersion: number;
  onLoadDemo: () => void;
  demoBusy: boolean;
}

/** The start page: search as you type, a virtualised list of every client, and "New client". */
export function ClientsPage({ dataVersion, onLoadDemo, demoBusy }: Props) {
  const [query, setQuery] = useState('');
  const wanted = query.trim();
  const [results, setResults] = useState<Results | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [reloadCount, setReloadCount] = useState(0);
  const [formOpen, setFormOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  const formWasOpen = useRef(false);
  const request = reloadCount * 1_000_000 + dataVersion;

  // When the form is cancelled, focus goes back to the button that opened it; the dialog is
  // removed from the page rather than closed, so the browser does not do that itself.
  useEffect(() => {
    if (formWasOpen.current && !formOpen) newButtonRef.current?.focus();
    formWasOpen.current = formOpen;
  }, [formOpen]);

  const reload = useCallback(() => setReloadCount((n) => n + 1), []);

  // No debounce: a search on an indexed name costs a few milliseconds, so every keystroke asks and
  // only the newest answer is shown.
  useEffect(() => {
    let current = true;
    void call('clients.list', { query: wanted, limit: PAGE_SIZE, offset: 0 }).then((reply) => {
      if (!current) return;
      if (reply.ok) {
        setResults({
          query: wanted,
          request,
          total: reply.value.total,
          pages: new Map([[0, reply.value.items]]),
        });
        setLoadError(null);
      } else {
        setLoadError(reply.error);
      }
    });
    return () => {
      current = false;
    };
  }, [wanted, request]);

  // Further pages, fetched once each as rows come into view.
  const inFlight = useRef(new Set<string>());
  const needRows = useCallback(
    (first: number, last: number) => {
      if (!results) return;
      const { query: q, request: r } = results;
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
        const key = `${r}\u0000${q}\u0000${p}`;
        if (results.pages.has(p) || inFlight.current.has(key)) continue;
        inFlight.current.add(key);
        void call('clients.list', { query: q, limit: PAGE_SIZE, offset: p * PAGE_SIZE }).then((reply) => {
          inFlight.current.delete(key);
          if (!reply.ok) {
            setLoadError(reply.error);
            return;
          }
          setResults((prev) => {
            if (!prev || prev.query !== q || prev.request !== r) return prev;
            const pages = new Map(prev.pages);
            pages.set(p, reply.value.items);
            return { ...prev, total: reply.value.total, pages };
          });
        });
      }
    },
    [results],
  );

  function saved(client: Client) {
    setFormOpen(false);
    formWasOpen.current = false;
    navigate({ name: 'client', id: client.id });
  }

  const isEmptyClinic = results !== null && results.total === 0 && results.query === '';
  const loading = results !== null && (results.query !== wanted || results.request !== request);

  return (
    <>
      <div className="page-head">
        <h1>Clients</h1>
        <button ref={newButtonRef} type="button" className="button primary" onClick={() => setFormOpen(true)}>
          <PlusIcon />
          New client
        </button>
      </div>

      <UnsignedSessions refreshKey={dataVersion} />

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

      {loadError && (
        <div role="alert" className="notice notice-error">
          <p>The client list could not be loaded: {loadError.message}</p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      )}

      {results === null && !loadError && <p className="muted">Loading clients…</p>}

      {results !== null && (
        <>
          <p className="count" aria-live="polite" data-query={results.query}>
            {countText(results)}
          </p>
          {isEmptyClinic ? (
            <EmptyState onLoadDemo={onLoadDemo} demoBusy={demoBusy} />
          ) : results.total === 0 ? (
            <p className="no-match">No client’s name matches “{results.query}”.</p>
          ) : (
            <ClientList
              total={results.total}
              pages={results.pages}
              pageSize={PAGE_SIZE}
              busy={loading}
              resetKey={`${results.query}\u0000${results.request}`}
              onNeedRows={needRows}
            />
          )}
        </>
      )}

      {formOpen && <ClientForm onSaved={saved} onCancel={() => setFormOpen(false)} />}
    </>
  );
}

function countText(r: Results): string {
  if (r.query === '') return plural(r.total, 'client', 'clients');
  return `${plural(r.total, 'client matches', 'clients match')} “${r.query}”`;
}
