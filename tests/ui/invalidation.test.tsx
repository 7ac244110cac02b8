/** @vitest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { openClinic } from '../../electron/api/clinic.js';
import { App } from '../../renderer/src/App.js';
import { ClientsPage } from '../../renderer/src/components/ClientsPage.js';
import { BackupsSection } from '../../renderer/src/pages/BackupsSection.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { installInProcessHost, type InProcessHost } from './inProcessHost.js';
import { renderWithData } from './renderWithData.js';
import { installBrowserGaps } from './setup.js';

installBrowserGaps();
const hosts = installInProcessHost();

/**
 * The whole app in jsdom over a real clinic: a write on one screen shows on every other one without
 * a reload, because the write marks the cached reads stale (renderer/src/data/stale.ts).
 */

let clinic: TestClinic;
let host: InProcessHost;
let seeded: ReturnType<typeof seedCourse>;

beforeEach(() => {
  clinic = openTestClinic();
  seeded = seedCourse(clinic); // Zoë Okafor, one course
  clinic.services.clients.create({ firstName: 'Maeve', lastName: 'Okonkwo' });
  host = hosts.use(clinic, seeded.practitioner.id);
  window.location.hash = '#/';
});

afterEach(() => {
  expect(host.logged, 'internal errors the host would have logged').toEqual([]);
  clinic.close();
});

const count = () => document.querySelector('.count')?.textContent;
const names = () =>
  within(screen.getByRole('table', { name: 'Clients' }))
    .queryAllByRole('rowheader')
    .map((c) => c.textContent?.trim());

describe('one data layer: writes refresh what is on screen', () => {
  it('deletes a client, and Undo brings it back into the list on screen', async () => {
    const user = userEvent.setup();
    renderWithData(<App />);
    await waitFor(() => expect(count()).toBe('2 clients'));

    await user.click(screen.getByRole('link', { name: /Zoë Okafor/ }));
    await screen.findByRole('heading', { name: 'Zoë Okafor', level: 1 });
    await user.click(screen.getByRole('button', { name: 'Delete client' }));

    // Back on the list, read again after the delete (not the copy cached before it).
    await waitFor(() => expect(count()).toBe('1 client'));
    expect(names()).toEqual([expect.stringContaining('Maeve')]);

    const listReads = host.calls.filter((c) => c === 'clients.list').length;
    const undoBar = screen.getByRole('region', { name: 'Undo' });
    expect(within(undoBar).getByRole('status').textContent).toBe('Zoë Okafor was deleted.');
    await user.click(within(undoBar).getByRole('button', { name: 'Undo' }));

    await waitFor(() => expect(count()).toBe('2 clients'));
    expect(names()).toEqual([expect.stringContaining('Zoë'), expect.stringContaining('Maeve')]);
    expect(within(undoBar).getByRole('status').textContent).toBe('Zoë Okafor is back.');
    // The list on screen was read again by the invalidation: no reload, no remount.
    expect(host.calls.filter((c) => c === 'clients.list').length).toBeGreaterThan(listReads);
    expect(clinic.services.clients.get({ id: seeded.client.id }).deletedAt).toBeNull();
  });

  it('pauses a course, and the client page shows it paused without reading by hand', async () => {
    const user = userEvent.setup();
    window.location.hash = `#/courses/${seeded.course.id}`;
    renderWithData(<App />);
    await screen.findByRole('heading', { level: 1, name: /Lips/ });
    await user.click(screen.getByRole('button', { name: 'Pause course' }));
    await waitFor(() =>
      expect(document.querySelector('.status-line')?.textContent).toBe('The course is paused.'),
    );
    expect(screen.getByRole('button', { name: 'Resume course' })).toBeTruthy();

    await user.click(screen.getAllByRole('link', { name: 'Zoë Okafor' })[0]!);
    const courses = await screen.findByRole('region', { name: 'Courses' });
    await waitFor(() => expect(within(courses).getByText('Paused')).toBeTruthy());
  });

  it('restores a backup, and the client list on screen shows the clinic as it was', async () => {
    // The clinic as the hosts open it: its own connection, with backup and restore (close, swap, reopen).
    const opened = openClinic(clinic.dir, clinic.key, { log: () => {} });
    // Backup and restore copy and check on database worker threads (tsx starts in each, seconds on
    // a loaded machine), so their replies may take longer than waitFor's default second.
    const worker = { timeout: 20_000 };
    host = hosts.use(clinic, seeded.practitioner.id, opened.deps);
    onTestFinished(() => opened.close({ backup: false }));
    const user = userEvent.setup();
    renderWithData(
      <>
        <BackupsSection />
        <ClientsPage onLoadDemo={() => {}} demoBusy={false} />
      </>,
    );
    await waitFor(() => expect(count()).toBe('2 clients'));
    await user.click(screen.getByRole('button', { name: 'Back up now' }));
    await waitFor(
      () => expect(document.querySelector('.status-line')?.textContent).toMatch(/^Backup made/),
      worker,
    );

    // A client added after the backup: the list shows it (the create marked the list stale).
    await user.click(screen.getByRole('button', { name: 'New client' }));
    await user.type(screen.getByLabelText(/First name/), 'Ines');
    await user.type(screen.getByLabelText('Last name'), 'Duarte');
    await user.click(screen.getByRole('button', { name: 'Save client' }));
    await waitFor(() => expect(count()).toBe('3 clients'));

    const table = screen.getByRole('table', { name: 'Backups on this machine, newest first' });
    const made = within(table).getAllByRole('row')[1]!;
    await user.click(within(made).getByRole('button', { name: /^Restore the backup from/ }));
    await user.click(screen.getByRole('button', { name: 'Restore this backup' }));

    await waitFor(() => expect(count()).toBe('2 clients'), worker);
    expect(names()).not.toContainEqual(expect.stringContaining('Ines'));
    // The backups list on screen was read again too: the "Before a restore" backup is in it.
    await waitFor(() => expect(within(table).getByText('Before a restore')).toBeTruthy());
  });
});
