import { useCallback, useEffect, useRef, useState } from 'react';
import type { Client, ClientListItem } from '../../../contract/schemas.js';
import { CLIENT_PAGE_SIZE, useClientPages, useClientSearch } from '../data/clients.js';
import { useMarkStale } from '../data/stale.js';
import { plural } from '../format.js';
import { navigate } from '../router.js';
import { UnsignedSessions } from '../signing/UnsignedSessions.js';
import { ClientForm } from './ClientForm.js';
import { ClientList } from './ClientList.js';
import { EmptyState } from './EmptyState.js';
import { PlusIcon, SearchIcon } from './Icons.js';

interface Props {
  onLoadDemo: () => void;
  demoBusy: boolean;
}

/** The start page: search as you type, a virtualised list of every client, and "New client". */
export function ClientsPage({ onLoadDemo, demoBusy }: Props) {
  const [query, setQuery] = useState('');
  const wanted = query.trim();
  const [formOpen, setFormOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  const formWasOpen = useRef(false);
  const markStale = useMarkStale();

  // When the form is cancelled, focus goes back to the button that opened it; the dialog is
  // removed from the page rather than closed, so the browser does not do that itself.
  useEffect(() => {
    if (formWasOpen.current && !formOpen) newButtonRef.current?.focus();
    formWasOpen.current = formOpen;
  }, [formOpen]);

  // No debounce: a search on an indexed name costs a few milliseconds, so every keystroke asks and
  // the previous answer stays shown until the newest one is in.
  const search = useClientSearch(wanted);
  const results = search.data ?? null;

  // Further pages of the search on screen (100 clients each), fetched once each as rows come into view.
  const [more, setMore] = useState<{ query: string; pages: readonly number[] }>({ query: '', pages: [] });
  const morePages = results !== null && more.query === results.query ? more.pages : [];
  const further = useClientPages(results?.query ?? '', morePages);
  const pages = new Map<number, readonly ClientListItem[]>(results ? [[0, results.items]] : []);
  further.forEach((page, i) => {
    const p = morePages[i];
    if (page.data && p !== undefined) pages.set(p, page.data.items);
  });
  const loadError = search.error ?? further.find((page) => page.error)?.error ?? null;

  const shownQuery = results?.query;
  const needRows = useCallback(
    (first: number, last: number) => {
      if (shownQuery === undefined) return;
      setMore((prev) => {
        const known = prev.query === shownQuery ? prev.pages : [];
        const added: number[] = [];
        for (
          let p = Math.max(1, Math.floor(first / CLIENT_PAGE_SIZE));
          p <= Math.floor(last / CLIENT_PAGE_SIZE);
          p++
        ) {
          if (!known.includes(p)) added.push(p);
        }
        if (added.length === 0 && known === prev.pages) return prev;
        return { query: shownQuery, pages: [...known, ...added] };
      });
    },
    [shownQuery],
  );

  function saved(client: Client) {
    setFormOpen(false);
    formWasOpen.current = false;
    navigate({ name: 'client', id: client.id });
  }

  const isEmptyClinic = results !== null && results.total === 0 && results.query === '';
  const loading = search.isFetching;

  return (
    <>
      <div className="page-head">
        <h1>Clients</h1>
        <button ref={newButtonRef} type="button" className="button primary" onClick={() => setFormOpen(true)}>
          <PlusIcon />
          New client
        </button>
      </div>

      <UnsignedSessions />

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
          <button type="button" className="button" onClick={() => markStale(['clients'])}>
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
              pages={pages}
              pageSize={CLIENT_PAGE_SIZE}
              busy={loading}
              resetKey={results.query}
              onNeedRows={needRows}
            />
          )}
        </>
      )}

      {formOpen && <ClientForm onSaved={saved} onCancel={() => setFormOpen(false)} />}
    </>
  );
}

function countText(r: { query: string; total: number }): string {
  if (r.query === '') return plural(r.total, 'client', 'clients');
  return `${plural(r.total, 'client matches', 'clients match')} “${r.query}”`;
}
