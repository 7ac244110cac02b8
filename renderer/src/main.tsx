import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { hostKind } from './api.js';
import { App } from './App.js';
import { DataProvider } from './data/DataProvider.js';
import { ClinicGate } from './pages/ClinicGate.js';
import './styles.css';
import './styles/pages.css';

// Take the browser host's token out of the address bar before anything else can read or show it.
hostKind();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <DataProvider>
      <ClinicGate>
        <App />
      </ClinicGate>
    </DataProvider>
  </StrictMode>,
);
