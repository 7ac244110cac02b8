import { useCallback, useEffect, useState } from 'react';
import type { Practitioner, Settings } from '../../contract/schemas.js';
import { clinicLocale } from '../../contract/format.js';
import { call, hostKind, onUnauthorized } from './api.js';
import { setDisplayLocale } from './format.js';
import { ClientsPage } from './components/ClientsPage.js';
import { DemoProgress } from './components/DemoProgress.js';
import { PractitionerSwitch } from './components/PractitionerSwitch.js';
import { UndoBar, type Undo } from './components/UndoBar.js';
import { useDemoLoad } from './components/useDemoLoad.js';
import { ClientPage } from './pages/ClientPage.js';
import { CoursePage } from './pages/CoursePage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { ExportsPage } from './exports/ExportsPage.js';
import { WelcomePage } from './pages/WelcomePage.js';
import { href, useRoute, type Route } from './router.js';
import { EditSessionPage } from './session/EditSessionPage.js';
import { LogSessionPage } from './session/LogSessionPage.js';

interface Clinic {
  settings: Settings;
  practitioners: Practitioner[];
}

/** What every page may need from the shell. */
export interface Shell {
  settings: Settings;
  practitioners: Practitioner[];
  /** Settings or practitioners changed: read them again (header, first run). */
  refreshClinic: () => void;
  /** Records changed somewhere (undo, demo load): lists read again. */
  dataVersion: number;
  bumpData: () => void;
  /** Shows the bar with "Undo" at the bottom of the window, replacing any earlier one. */
  offerUndo: (undo: Undo) => void;
}

export function App() {
  const [kind] = useState(hostKind);
  const [authProblem, setAuthProblem] = useState<string | null>(null);
  const [clinic, setClinic] = useState<Clinic | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [clinicCount, setClinicCount] = useState(0);
  const [dataVersion, setDataVersion] = useState(0);
  const [undo, setUndo] = useState<{ n: number; undo: Undo } | null>(null);
  const route = useRoute();

  // The host's own message is written for API callers; the practitioner needs to know what happened.
  useEffect(
    () =>
      onUnauthorized(() =>
        setAuthProblem(
          'The key in this page’s address was not accepted. NeedleLog may have been restarted since the link was opened.',
        ),
      ),
    [],
  );

  useEffect(() => {
    if (kind === 'none') return;
    let current = true;
    void Promise.all([call('settings.get', {}), call('practitioners.list', {})]).then(([s, p]) => {
      if (!current) return;
      if (s.ok && p.ok) {
        setClinic({ settings: s.value, practitioners: p.value });
        setLoadError(null);
      } else {
        setLoadError((!s.ok ? s.error.message : !p.ok ? p.error.message : '') || 'Unknown error.');
      }
    });
    return () => {
      current = false;
    };
  }, [kind, clinicCount]);

  const refreshClinic = useCallback(() => setClinicCount((n) => n + 1), []);
  const bumpData = useCallback(() => setDataVersion((n) => n + 1), []);
  const demoFinished = useCallback(() => {
    refreshClinic();
    bumpData();
  }, [refreshClinic, bumpData]);
  const demoLoad = useDemoLoad(demoFinished);

  // Settings are saved one control at a time; the header shows the result at once.
  const settingsChanged = useCallback((settings: Settings) => {
    setClinic((c) => (c ? { ...c, settings } : c));
  }, []);

  useEffect(() => {
    document.title = titleFor(route);
  }, [route]);

  if (kind === 'none' || authProblem !== null) {
    return <NotConnected detail={authProblem} />;
  }

  if (clinic === null) {
    return (
      <div className="app">
        <header className="app-header">
          <span className="brand">NeedleLog</span>
        </header>
        <main className="app-main">
          {loadError ? (
            <div role="alert" className="notice notice-error">
              <p>NeedleLog could not read the clinic settings: {loadError}</p>
              <button type="button" className="button" onClick={refreshClinic}>
                Try again
              </button>
            </div>
          ) : (
            <p className="muted">Opening NeedleLog…</p>
          )}
        </main>
      </div>
    );
  }

  // Every date and number below is written in the clinic's locale (contract/format.ts).
  setDisplayLocale(clinicLocale(clinic.settings));
  const firstRun = clinic.settings.clinicName === '' && clinic.practitioners.length === 0;
  const shell: Shell = {
    settings: clinic.settings,
    practitioners: clinic.practitioners,
    refreshClinic,
    dataVersion,
    bumpData,
    offerUndo: (u) => setUndo((prev) => ({ n: (prev?.n ?? 0) + 1, undo: u })),
  };

  return (
    <div className="app">
      <header className="app-header">
        <div className="header-title">
          <span className="brand">NeedleLog</span>
          {clinic.settings.clinicName ? (
            <span className="clinic-name">{clinic.settings.clinicName}</span>
          ) : null}
        </div>
        {!firstRun && (
          <>
            <nav className="app-nav" aria-label="Main">
              <a
                href={href({ name: 'clients' })}
                className="nav-link"
                aria-current={isClientsSection(route) ? 'page' : undefined}
              >
                Clients
              </a>
              <a
                href={href({ name: 'overview' })}
                className="nav-link"
                aria-current={route.name === 'overview' ? 'page' : undefined}
              >
                Overview
              </a>
              <a
                href={href({ name: 'exports' })}
                className="nav-link"
                aria-current={route.name === 'exports' ? 'page' : undefined}
              >
                Exports
              </a>
              <a
                href={href({ name: 'settings' })}
                className="nav-link"
                aria-current={route.name === 'settings' ? 'page' : undefined}
              >
                Settings
              </a>
            </nav>
            <PractitionerSwitch
              practitioners={clinic.practitioners}
              currentId={clinic.settings.currentPractitionerId}
              onChanged={settingsChanged}
            />
          </>
        )}
      </header>
      <main className="app-main">
        {(demoLoad.demo || demoLoad.demoError) && (
          <div className="app-notices">
            {demoLoad.demo && <DemoProgress state={demoLoad.demo} onDismiss={demoLoad.dismiss} />}
            {demoLoad.demoError && (
              <div role="alert" className="notice notice-error">
                {demoLoad.demoError}
              </div>
            )}
          </div>
        )}
        {firstRun ? (
          <WelcomePage onDone={refreshClinic} onLoadDemo={demoLoad.loadDemo} demoBusy={demoLoad.demoBusy} />
        ) : (
          <Page route={route} shell={shell} onLoadDemo={demoLoad.loadDemo} demoBusy={demoLoad.demoBusy} />
        )}
      </main>
      {undo && <UndoBar key={undo.n} undo={undo.undo} onClose={() => setUndo(null)} />}
    </div>
  );
}

function Page({
  route,
  shell,
  onLoadDemo,
  demoBusy,
}: {
  route: Route;
  shell: Shell;
  onLoadDemo: () => void;
  demoBusy: boolean;
}) {
  switch (route.name) {
    case 'clients':
      return <ClientsPage dataVersion={shell.dataVersion} onLoadDemo={onLoadDemo} demoBusy={demoBusy} />;
    case 'client':
      return <ClientPage key={route.id} clientId={route.id} shell={shell} />;
    case 'course':
      return <CoursePage key={route.id} courseId={route.id} shell={shell} />;
    case 'logSession':
      return <LogSessionPage key={route.courseId} courseId={route.courseId} />;
    case 'editSession':
      return <EditSessionPage key={route.id} sessionId={route.id} />;
    case 'settings':
      return <SettingsPage shell={shell} />;
    case 'overview':
      return <OverviewPage practitioners={shell.practitioners} dataVersion={shell.dataVersion} />;
    case 'exports':
      return (
        <ExportsPage
          practitioners={shell.practitioners}
          onImported={() => {
            shell.bumpData();
            shell.refreshClinic();
          }}
        />
      );
  }
}

function isClientsSection(route: Route): boolean {
  return route.name !== 'settings' && route.name !== 'overview' && route.name !== 'exports';
}

function titleFor(route: Route): string {
  const names: Record<Route['name'], string> = {
    clients: 'Clients',
    client: 'Client',
    course: 'Course',
    logSession: 'Log session',
    editSession: 'Edit session',
    settings: 'Settings',
    overview: 'Clinic overview',
    exports: 'Exports',
  };
  return `${names[route.name]} – NeedleLog`;
}

/** Shown when there is no host to talk to, or the host no longer accepts this page. */
function NotConnected({ detail }: { detail: string | null }) {
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">NeedleLog</span>
      </header>
      <main className="app-main">
        <section className="not-connected" role="alert" aria-labelledby="not-connected-title">
          <h1 id="not-connected-title">NeedleLog is not connected</h1>
          {detail && <p>{detail}</p>}
          <p>
            Open NeedleLog from the link printed by <code>needlelog web</code>. Its key changes every time
            NeedleLog starts, so an address without it cannot open your records.
          </p>
        </section>
      </main>
    </div>
  );
}
