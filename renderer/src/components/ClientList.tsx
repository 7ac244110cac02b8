import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ClientListItem } from '../../../contract/schemas.js';
import { ageInYears, clientName, fitzpatrickLabel, formatDate, localDay, plural } from '../format.js';
import { href } from '../router.js';
import { WarningIcon } from './Icons.js';

/** Every row is exactly this tall (CSS uses the same figure), so positions are arithmetic. */
const ROW_HEIGHT = 64;
/** Rows rendered beyond each edge of the visible window, so fast scrolling shows no gaps. */
const OVERSCAN = 10;

interface Props {
  total: number;
  pages: ReadonlyMap<number, readonly ClientListItem[]>;
  pageSize: number;
  busy: boolean;
  /** Changes when the list means something else (a new search): scroll back to the top. */
  resetKey: string;
  /** Asks for the rows first..last (inclusive) to be loaded. */
  onNeedRows: (first: number, last: number) => void;
}

/**
 * The clients as an ARIA table of fixed-height rows, virtualised: only the rows in view (plus a
 * margin) exist in the page, so 10,000 clients scroll as smoothly as 10. Each name is a link to the
 * client's page, and the whole row is its click target.
 */
export function ClientList({ total, pages, pageSize, busy, resetKey, onNeedRows }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(ROW_HEIGHT * 12);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || ROW_HEIGHT * 12);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const lastReset = useRef(resetKey);
  useLayoutEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (last >= first) onNeedRows(first, last);
  }, [first, last, onNeedRows]);

  const rows = [];
  for (let i = first; i <= last; i++) {
    const item = pages.get(Math.floor(i / pageSize))?.[i % pageSize];
    rows.push(<Row key={item?.id ?? `pending-${i}`} index={i} item={item} />);
  }

  return (
    <div role="table" className="vtable" aria-label="Clients" aria-rowcount={total + 1} aria-busy={busy}>
      <div role="rowgroup" className="vtable-head">
        <div role="row" aria-rowindex={1} className="vrow">
          <span role="columnheader">Name</span>
          <span role="columnheader">Date of birth</span>
          <span role="columnheader">Skin type</span>
          <span role="columnheader">Courses</span>
          <span role="columnheader">Contraindications</span>
        </div>
      </div>
      <div
        role="rowgroup"
        ref={scrollRef}
        className="vtable-body"
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div role="presentation" className="vtable-space" style={{ height: total * ROW_HEIGHT }}>
          {rows}
        </div>
      </div>
    </div>
  );
}

function Row({ index, item }: { index: number; item: ClientListItem | undefined }) {
  const top = index * ROW_HEIGHT;
  if (!item) {
    return (
      <div role="row" aria-rowindex={index + 2} className="vrow is-pending" style={{ top }}>
        <span role="cell" className="muted">
          Loading…
        </span>
      </div>
    );
  }
  return (
    <div role="row" aria-rowindex={index + 2} className="vrow" style={{ top }}>
      <span role="rowheader" className="client-name">
        <a className="row-link" href={href({ name: 'client', id: item.id })}>
          {clientName(item)}
        </a>
      </span>
      <span role="cell">
        {item.dateOfBirth ? <DateOfBirth value={item.dateOfBirth} /> : <span className="muted">—</span>}
      </span>
      <span role="cell">
        <span className={item.fitzpatrick === null ? 'muted' : undefined}>
          {fitzpatrickLabel(item.fitzpatrick)}
        </span>
      </span>
      <span role="cell" className="courses-cell">
        {item.activeCourses > 0 ? (
          <span>{plural(item.activeCourses, 'active course', 'active courses')}</span>
        ) : (
          <span className="muted">No active course</span>
        )}
        {item.lastSessionAt && (
          <span className="muted small">Last session {formatDate(localDay(item.lastSessionAt))}</span>
        )}
      </span>
      <span role="cell">
        {item.hasContraindications ? (
          <span className="badge badge-warn">
            <WarningIcon />
            Contraindications
          </span>
        ) : (
          <span className="muted">None recorded</span>
        )}
      </span>
    </div>
  );
}

function DateOfBirth({ value }: { value: string }) {
  const age = ageInYears(value);
  return (
    <>
      <time dateTime={value}>{formatDate(value)}</time>
      {age !== null && <span className="muted"> ({age})</span>}
    </>
  );
}
