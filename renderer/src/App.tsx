import { useCallback, useEffect, useState } from 'react';
import type { Settings } from '../../contract/schemas.js';
import { call, hostKind, onUnauthorized } from './api.js';
import { ClientsPage } from './components/ClientsPage.js';

export function App() {
  const [kind] = useState(hostKind);
  const [authProblem, setAuthProblem] = useState<string | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [settingsCount, setSettingsCount] = useState(0);

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
    void call('settings.get', {}).then((reply) => {
      if (current && reply.ok) setSettings(reply.value);
    });
    return () => {
      current = false;
    };
  }, [kind, settingsCount]);

  const refreshSettings = useCallback(() => setSettingsCount((n) => n + 1), []);

  if (kind === 'none' || authProblem !== null) {
    return <NotConnected detail={authProblem} />;
  }

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">NeedleLog</span>
        {settings?.clinicName ? <span className="clinic-name">{settings.clinicName}</span> : null}
      </header>
      <main className="app-main">
        <ClientsPage onDataChanged={refreshSettings} />
      </main>
    </div>
  );
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
