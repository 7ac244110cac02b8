import { useCallback, useEffect, useState } from 'react';
import type { SignedInPerson } from '../../contract/auth.js';
import { LOCK_REQUEST_JOB_ID } from '../../contract/api.js';
import type { Practitioner, Settings } from '../../contract/schemas.js';
import { clinicLocale } from '../../contract/format.js';
import { setDisplayLocale } from './format.js';
import { call, hostKind, onProgress, onSignInRequired, onUnauthorized } from './api.js';
import {
  useAuthStatus,
  useForgetRecords,
  usePractitioners,
  useRefreshAuth,
  useRefreshClinic,
  useSetAuthStatus,
  useSettings,
} from './data/clinic.js';
import { ReplyError } from './data/query.js';
import { useMarkStale } from './data/stale.js';
import { flushBeforeLock, lockAbandoned, setSignedIn } from './auth/lockHooks.js';
import { LockScreen } from './auth/LockScreen.js';
import { SyncBadge } from './components/SyncBadge.js';
import { SignInPage } from './auth/SignInPage.js';
import { useIdleLock } from './auth/useIdleLock.js';
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
import { LotRecallPage } from './pages/LotRecallPage.js';
import { WelcomePage } from './pages/WelcomePage.js';
import { href, useRoute, type Route } from './router.js';
import { ConsentPage } from './signing/ConsentPage.js';
import { EditSessionPage } from './session/EditSessionPage.js';
import { LogSessionPage } from './session/LogSessionPage.js';
import { Frame } from './components/Frame.js';

/** What every page may need from the shell. */
export interface Shell {
  /** Who is signed in (and so signs every change). */
  who: SignedInPerson;
  settings: Settings;
  practitioners: Practitioner[];
  /** Settings or practitioners changed: read them again (header, first run). */
  refreshClinic: () => void;
  /** Shows the bar with "Undo" at the bottom of the window, replacing any earlier one. */
  offerUndo: (undo: Undo) => void;
}

export function App() {
  const [kind] = useState(hostKind);
  const [authProblem, setAuthProblem] = useState<string | null>(null);
  const [undo, setUndo] = useState<{ n: number; undo: Undo } | null>(null);
  const route = useRoute();
  const authQuery = useAuthStatus(kind !== 'none');
  const auth = authQuery.data ?? null;
  const setAuth = useSetAuthStatus();
  const refreshAuth = useRefreshAuth();
  const signedIn = auth?.state === 'signedIn' && auth.practitioner !== null;
  const who = signedIn ? auth.practitioner : null;
  setSignedIn(who?.id ?? null);
  const settingsQuery = useSettings(kind !== 'none' && signedIn);
  const practitionersQuery = usePractitioners(kind !== 'none' && signedIn);
  const settings = settingsQuery.data;
  const practitioners = practitionersQuery.data;
  // No host, or a refused key: the app says so in its own way (NotConnected), not as a load error.
  const authError =
    authQuery.error instanceof ReplyError && authQuery.error.error.code === 'unauthorized'
      ? null
      : authQuery.error;
  const loadError = (authError ?? settingsQuery.error ?? practitionersQuery.error)?.message ?? null;

  const forgetRecords = useForgetRecords();
  useEffect(() => {
    if (auth !== null && !signedIn) forgetRecords();
  }, [auth, signedIn, forgetRecords]);

  // The host refused a call because nobody is signed in or the session was locked on the main side.
  useEffect(() => onSignInRequired(refreshAuth), [refreshAuth]);

  const lock = useCallback(async () => {
    await flushBeforeLock();
    const r = await call('auth.lock', {});
    if (r.ok) setAuth(r.value);
    else {
      lockAbandoned();
      refreshAuth();
    }
  }, [refreshAuth, setAuth]);

  const switchPractitioner = useCallback(async () => {
    await flushBeforeLock();
    const r = await call('auth.signOut', {});
    if (r.ok) setAuth(r.value);
    else {
      lockAbandoned();
      refreshAuth();
    }
  }, [refreshAuth, setAuth]);

  // Electron asks to lock when the computer locks its screen or goes to sleep.
  useEffect(
    () =>
      onProgress((e) => {
        if (e.jobId === LOCK_REQUEST_JOB_ID) void lock();
      }),
    [lock],
  );

  useEffect(() => {
    if (!signedIn) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        void lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [signedIn, lock]);

  useIdleLock(signedIn ? (auth?.idleLockMinutes ?? null) : null, lock);

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

  const refreshClinic = useRefreshClinic();
  const markStale = useMarkStale();
  const demoFinished = useCallback(() => markStale('all'), [markStale]);
  const demoLoad = useDemoLoad(demoFinished);

  useEffect(() => {
    document.title = titleFor(route);
  }, [route]);

  if (kind === 'none' || authProblem !== null) {
    return <NotConnected detail={authProblem} />;
  }

  const demoNotices = (demoLoad.demo || demoLoad.demoError) && (
    <div className="app-notices">
      {demoLoad.demo && <DemoProgress state={demoLoad.demo} onDismiss={demoLoad.dismiss} />}
      {demoLoad.demoError && (
        <div role="alert" className="notice notice-error">
          {demoLoad.demoError}
        </div>
      )}
    </div>
  );

  if (auth !== null && auth.firstRun) {
    return (
      <Frame>
        {demoNotices}
        <WelcomePage onDone={setAuth} onLoadDemo={demoLoad.loadDemo} demoBusy={demoLoad.demoBusy} />
      </Frame>
    );
  }
  if (auth !== null && auth.state === 'signedOut') {
    return (
      <Frame>
        {demoNotices}
        <SignInPage status={auth} onStatus={setAuth} />
      </Frame>
    );
  }
  if (auth !== null && auth.state === 'locked') {
    // Nothing of the app is mounted: no client name or photo stays in the DOM.
    return (
      <Frame>
        <LockScreen status={auth} onStatus={setAuth} />
      </Frame>
    );
  }

  if (settings === undefined || practitioners === undefined || who === null) {
    return (
      <Frame>
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
      </Frame>
    );
  }

  // Every date and number below is written in the clinic's locale (contract/format.ts).
  setDisplayLocale(clinicLocale(settings));
  const isManager = who.role === 'manager';
  const shell: Shell = {
    who,
    settings,
    practitioners,
    refreshClinic,
    offerUndo: (u) => setUndo((prev) => ({ n: (prev?.n ?? 0) + 1, undo: u })),
  };

  return (
    <div className="app">
      <header className="app-header">
        <div className="header-title">
          <span className="brand">NeedleLog</span>
          {settings.clinicName ? <span className="clinic-name">{settings.clinicName}</span> : null}
        </div>
        {
          <>
            <nav className="app-nav" aria-label="Main">
              <a
                href={href({ name: 'clients' })}
                className="nav-link"
                aria-current={isClientsSection(route) ? 'page' : undefined}
              >
                Clients
              </a>
              {isManager && (
                <a
                  href={href({ name: 'overview' })}
                  className="nav-link"
                  aria-current={route.name === 'overview' ? 'page' : undefined}
                >
                  Overview
                </a>
              )}
              <a
                href={href({ name: 'lotRecall', lot: '' })}
                className="nav-link"
                aria-current={route.name === 'lotRecall' ? 'page' : undefined}
              >
                Lot recall
              </a>
              {isManager && (
                <a
                  href={href({ name: 'exports' })}
                  className="nav-link"
                  aria-current={route.name === 'exports' ? 'page' : undefined}
                >
                  Exports
                </a>
              )}
              <a
                href={href({ name: 'settings' })}
                className="nav-link"
                aria-current={route.name === 'settings' ? 'page' : undefined}
              >
                Settings
              </a>
            </nav>
            <SyncBadge />
            <PractitionerSwitch
              who={who}
              onLock={() => void lock()}
              onSwitch={() => void switchPractitioner()}
            />
          </>
        }
      </header>
      <main className="app-main">
        {demoNotices}
        <Page route={route} shell={shell} onLoadDemo={demoLoad.loadDemo} demoBusy={demoLoad.demoBusy} />
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
      return <ClientsPage onLoadDemo={onLoadDemo} demoBusy={demoBusy} />;
    case 'client':
      return <ClientPage key={route.id} clientId={route.id} shell={shell} />;
    case 'course':
      return <CoursePage key={route.id} courseId={route.id} shell={shell} />;
    case 'logSession':
      return <LogSessionPage key={route.courseId} courseId={route.courseId} />;
    case 'editSession':
      return <EditSessionPage key={route.id} sessionId={route.id} who={shell.who} />;
    case 'consent':
      return <ConsentPage key={route.courseId} courseId={route.courseId} who={shell.who} />;
    case 'settings':
      return <SettingsPage shell={shell} />;
    case 'overview':
      if (shell.who.role !== 'manager') return <ManagersOnly what="The clinic overview" />;
      return <OverviewPage practitioners={shell.practitioners} />;
    case 'lotRecall':
      return <LotRecallPage lot={route.lot} />;
    case 'exports':
      if (shell.who.role !== 'manager') return <ManagersOnly what="Clinic-wide exports and imports" />;
      return <ExportsPage practitioners={shell.practitioners} />;
  }
}

function isClientsSection(route: Route): boolean {
  return (
    route.name !== 'settings' &&
    route.name !== 'overview' &&
    route.name !== 'exports' &&
    route.name !== 'lotRecall'
  );
}

function titleFor(route: Route): string {
  const names: Record<Route['name'], string> = {
    clients: 'Clients',
    client: 'Client',
    course: 'Course',
    logSession: 'Log session',
    editSession: 'Edit session',
    consent: 'Consent',
    settings: 'Settings',
    overview: 'Clinic overview',
    exports: 'Exports',
    lotRecall: 'Lot recall',
  };
  return `${names[route.name]} – NeedleLog`;
}

/** A page a practitioner reached by its address: says who can see it instead of an error. */
function ManagersOnly({ what }: { what: string }) {
  return (
    <div className="notice" role="note">
      <p>
        {what} is for managers. Ask a manager to sign in, or export one course or client from its own page.
      </p>
    </div>
  );
}

/** Shown when there is no host to talk to, or the host no longer accepts this page. */
function NotConnected({ detail }: { detail: string | null }) {
  return (
    <Frame>
      <section className="not-connected" role="alert" aria-labelledby="not-connected-title">
        <h1 id="not-connected-title">NeedleLog is not connected</h1>
        {detail && <p>{detail}</p>}
        <p>
          Open NeedleLog from the link printed by <code>needlelog web</code>. Its key changes every time
          NeedleLog starts, so an address without it cannot open your records.
        </p>
      </section>
    </Frame>
  );
}
