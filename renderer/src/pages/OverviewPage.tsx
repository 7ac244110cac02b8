import { useEffect, useRef, useState } from 'react';
import { useOverview, useOverviewDrill } from '../data/overview.js';
import { AREAS, NUMBING_AGENTS, type Area, type NumbingAgent } from '../../../contract/domain.js';
import type { OverviewFigure, OverviewFilters } from '../../../contract/progress.js';
import type { Practitioner } from '../../../contract/schemas.js';
import { BarChart } from '../charts/BarChart.js';
import { LabelOptions, PractitionerOptions } from '../components/LabelOptions.js';
import { courseTitle, fmt, formatDate, plural } from '../format.js';
import { href } from '../router.js';
import { FigureButton, OutcomeTable, RateTable } from './overview/OverviewTables.js';
import '../styles/charts.css';

interface Drill {
  figure: OverviewFigure;
  key: string | null;
  title: string;
}

/** The clinic at a glance for managers: every figure an SQL aggregate, each opening the clients behind it. */
export function OverviewPage({ practitioners }: { practitioners: Practitioner[] }) {
  const [filters, setFilters] = useState<{ from: string; to: string; practitionerId: string; area: string }>({
    from: '',
    to: '',
    practitionerId: '',
    area: '',
  });
  const [drill, setDrill] = useState<Drill | null>(null);
  const drillHeading = useRef<HTMLHeadingElement>(null);

  const query: OverviewFilters = {
    from: filters.from || null,
    to: filters.to || null,
    practitionerId: filters.practitionerId || null,
    area: (filters.area || null) as Area | null,
  };
  const overviewQuery = useOverview(query);
  const overview = overviewQuery.data ?? null;
  const error = overviewQuery.error?.message ?? null;
  const drillQuery = useOverviewDrill(
    drill ? { filters: query, figure: drill.figure, key: drill.key, limit: 100 } : null,
  );
  const drillResult = drillQuery.data ?? null;

  useEffect(() => {
    if (drillResult) drillHeading.current?.focus();
  }, [drillResult]);

  function open(figure: OverviewFigure, key: string | null, title: string) {
    setDrill({ figure, key, title });
  }

  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => {
    setDrill(null);
    setFilters((f) => ({ ...f, [k]: e.target.value }));
  };

  const period = overview ? `${formatDate(overview.from)} – ${formatDate(overview.to)}` : '';

  return (
    <article className="record-page" aria-labelledby="overview-title">
      <div className="page-head">
        <div>
          <h1 id="overview-title">Clinic overview</h1>
          <p className="subtitle">
            Courses due now, and what happened in the period{period ? `: ${period}` : ''}.
          </p>
        </div>
      </div>

      <form className="card overview-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input
            type="date"
            value={filters.from || overview?.from || ''}
            onChange={set('from')}
            max={filters.to || undefined}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={filters.to || overview?.to || ''}
            onChange={set('to')}
            min={filters.from || undefined}
          />
        </label>
        <label>
          Practitioner
          <select value={filters.practitionerId} onChange={set('practitionerId')}>
            <PractitionerOptions practitioners={practitioners} />
          </select>
        </label>
        <label>
          Area
          <select value={filters.area} onChange={set('area')}>
            <LabelOptions labels={AREAS} empty="All areas" />
          </select>
        </label>
        <button
          type="button"
          className="button"
          onClick={() => {
            setDrill(null);
            setFilters({ from: '', to: '', practitionerId: '', area: '' });
          }}
        >
          Reset filters
        </button>
      </form>

      {error && (
        <p role="alert" className="notice notice-error">
          The overview could not be computed: {error}
        </p>
      )}
      {!overview ? (
        !error && <p className="muted">Computing the overview…</p>
      ) : (
        <>
          <section aria-label="Key figures" className="figure-grid">
            <FigureButton
              value={overview.activeCourses}
              label="Active courses"
              sub="Now, with the area and practitioner filters"
              onClick={() => open('active', null, 'Active courses')}
            />
            <FigureButton
              value={overview.overdueClients}
              label="Overdue clients"
              sub={`${plural(overview.overdueCourses, 'course', 'courses')} past the next due date`}
              danger={overview.overdueClients > 0}
              onClick={() => open('overdue', null, 'Overdue clients')}
            />
            <div className="card figure-static">
              <span className="figure-value">{overview.sessions}</span>
              <span className="figure-label">Sessions in the period</span>
            </div>
          </section>

          {drill && (
            <section className="card" aria-labelledby="drill-title">
              <div className="chart-head">
                <h2 id="drill-title" ref={drillHeading} tabIndex={-1}>
                  Clients behind: {drill.title}
                </h2>
                <button type="button" className="button small" onClick={() => setDrill(null)}>
                  Close
                </button>
              </div>
              {drillQuery.error ? (
                <p role="alert" className="notice notice-error">
                  {drillQuery.error.message}
                </p>
              ) : !drillResult ? (
                <p className="muted">Finding the clients…</p>
              ) : drillResult.total === 0 ? (
                <p className="muted">No clients.</p>
              ) : (
                <>
                  <p className="muted">
                    {drillResult.total > drillResult.items.length
                      ? `The first ${drillResult.items.length} of ${drillResult.total} courses.`
                      : plural(drillResult.total, 'course', 'courses')}
                  </p>
                  <ul className="drill-list">
                    {drillResult.items.map((i) => (
                      <li key={i.courseId}>
                        <a href={href({ name: 'course', id: i.courseId })}>
                          {[i.firstName, i.lastName].filter(Boolean).join(' ')} — {courseTitle(i)}
                        </a>{' '}
                        · <a href={href({ name: 'client', id: i.clientId })}>client</a>
                        <div className="muted">{i.detail}</div>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          )}

          <section className="card">
            <BarChart
              title="Sessions per week"
              note="Weeks start on Monday. Choose a bar for the clients seen that week."
              valueLabel="Sessions"
              bars={overview.sessionsPerWeek.map((w) => ({
                key: w.weekStart,
                label: fmt().shortDate(w.weekStart, false),
                longLabel: `Week of ${formatDate(w.weekStart)}`,
                value: w.sessions,
              }))}
              onOpen={(b) => open('week', b.key, `sessions in the ${b.longLabel.toLowerCase()}`)}
              openLabel={() => 'Show clients'}
            />
          </section>

          <RateTable
            title="Adverse events by area"
            keyLabel="Area"
            rows={overview.adverseByArea}
            name={(k) => AREAS[k as Area] ?? k}
            onOpen={(r) => open('adverseArea', r.key, `adverse events, ${AREAS[r.key as Area] ?? r.key}`)}
          />
          <RateTable
            title="Adverse events by numbing agent"
            keyLabel="Numbing agent"
            rows={overview.adverseByAgent}
            name={(k) => NUMBING_AGENTS[k as NumbingAgent] ?? k}
            onOpen={(r) =>
              open('adverseAgent', r.key, `adverse events, ${NUMBING_AGENTS[r.key as NumbingAgent] ?? r.key}`)
            }
          />
          <OutcomeTable
            title="Change in client satisfaction by area"
            note="Mean of (last − first) recorded satisfaction (0–10) per course, in the period. Higher is better."
            rows={overview.satisfactionChange}
            betterIsUp
            onOpen={(r) => open('satisfaction', r.area, `satisfaction change, ${AREAS[r.area]}`)}
          />
          <OutcomeTable
            title="Change in GAIS (practitioner) by area"
            note="Mean of (last − first) GAIS per course, in the period. GAIS 1 = very much improved, so lower is better."
            rows={overview.gaisChange}
            betterIsUp={false}
            onOpen={(r) => open('gais', r.area, `GAIS change, ${AREAS[r.area]}`)}
          />
        </>
      )}
    </article>
  );
}
