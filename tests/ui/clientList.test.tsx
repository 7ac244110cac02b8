/** @vitest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientsPage } from '../../renderer/src/components/ClientsPage.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { installInProcessHost, type InProcessHost } from './inProcessHost.js';
import { renderWithData } from './renderWithData.js';
import { installBrowserGaps } from './setup.js';

installBrowserGaps();
const hosts = installInProcessHost();

/**
 * The clients page in jsdom over a real clinic: search as you type, the virtualised list (only the
 * rows in view exist), clearing the search, the empty clinic, and "New client" saving a record.
 */

let clinic: TestClinic;
let host: InProcessHost;

beforeEach(() => {
  clinic = openTestClinic();
  const { practitioner } = seedCourse(clinic); // one client: Zoë Okafor
  host = hosts.use(clinic, practitioner.id);
});

afterEach(() => {
  expect(host.logged, 'internal errors the host would have logged').toEqual([]);
  clinic.close();
});

const renderPage = () => renderWithData(<ClientsPage onLoadDemo={() => {}} demoBusy={false} />);
const names = () =>
  within(screen.getByRole('table', { name: 'Clients' }))
    .queryAllByRole('rowheader')
    .map((c) => c.textContent?.trim());
const count = () => document.querySelector('.count')?.textContent;

function addClients(n: number): void {
  for (let i = 0; i < n; i++) {
    clinic.services.clients.create({
      firstName: `Client${String(i).padStart(3, '0')}`,
      lastName: 'Testwell',
    });
  }
}

describe('the clients page, rendered', () => {
  it('searches as the practitioner types, says how many match, and clears', async () => {
    addClients(3);
    clinic.services.clients.create({ firstName: 'Maeve', lastName: 'Okonkwo' });
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => expect(count()).toBe('5 clients'));

    await user.type(screen.getByLabelText('Search clients'), 'oko');
    await waitFor(() => expect(count()).toBe('1 client matches “oko”'));
    expect(names()).toEqual([expect.stringContaining('Maeve')]);

    await user.clear(screen.getByLabelText('Search clients'));
    await user.type(screen.getByLabelText('Search clients'), 'nobody-here');
    await waitFor(() => expect(screen.getByText('No client’s name matches “nobody-here”.')).toBeTruthy());

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    await waitFor(() => expect(count()).toBe('5 clients'));
    expect(document.activeElement).toBe(screen.getByLabelText('Search clients'));
  });

  it('renders only the rows in view of a long list, and says the whole count', async () => {
    addClients(299);
    renderPage();
    await waitFor(() => expect(count()).toBe('300 clients'));
    const table = screen.getByRole('table', { name: 'Clients' });
    expect(table.getAttribute('aria-rowcount')).toBe('301');
    const shown = names();
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(60);
  });

  it('creates a client from "New client" and opens the new record', async () => {
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => expect(count()).toBe('1 client'));
    await user.click(screen.getByRole('button', { name: 'New client' }));
    await user.type(screen.getByLabelText(/First name/), 'Ines');
    await user.type(screen.getByLabelText('Last name'), 'Duarte');
    await user.click(screen.getByRole('button', { name: 'Save client' }));

    await waitFor(() => expect(window.location.hash).toMatch(/^#\/clients?\//));
    const saved = clinic.services.clients.list({ query: 'Duarte', limit: 10, offset: 0 });
    expect(saved.items.map((c) => `${c.firstName} ${c.lastName}`)).toEqual(['Ines Duarte']);
    expect(window.location.hash).toContain(saved.items[0]?.id);
  });

  it('refuses a client without a first name, on that field, and saves nothing', async () => {
    const user = userEvent.setup();
    renderPage();
    await waitFor(() => expect(count()).toBe('1 client'));
    await user.click(screen.getByRole('button', { name: 'New client' }));
    await user.type(screen.getByLabelText('Last name'), 'Nofirstname');
    await user.click(screen.getByRole('button', { name: 'Save client' }));
    const first = screen.getByLabelText(/First name/);
    await waitFor(() => expect(first.getAttribute('aria-invalid')).toBe('true'));
    expect(clinic.services.clients.list({ query: 'Nofirstname', limit: 10, offset: 0 }).total).toBe(0);
  });
});
