/** @vitest-environment jsdom */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangePinSection } from '../../renderer/src/auth/ChangePinSection.js';
import { ClinicSection } from '../../renderer/src/pages/settings/ClinicSection.js';
import { DepthRangesSection } from '../../renderer/src/pages/settings/DepthRangesSection.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { installInProcessHost, type InProcessHost } from './inProcessHost.js';
import { renderWithData } from './renderWithData.js';
import { installBrowserGaps } from './setup.js';

installBrowserGaps();
const hosts = installInProcessHost();

/**
 * Settings sections on the shared form mechanism, rendered in jsdom over a real clinic: every bad
 * field marked after one save, checked in the renderer before any round trip; a good save lands.
 */

let clinic: TestClinic;
let host: InProcessHost;

beforeEach(() => {
  clinic = openTestClinic();
  const { practitioner } = seedCourse(clinic);
  host = hosts.use(clinic, practitioner.id);
});

afterEach(() => {
  expect(host.logged, 'internal errors the host would have logged').toEqual([]);
  clinic.close();
});

const errorOf = (input: HTMLElement) => {
  const id = (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .find((x) => document.getElementById(x)?.classList.contains('field-error'));
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
};

describe('settings forms', () => {
  it('Clinic: two bad fields are both marked after one save, and nothing is sent until they are right', async () => {
    const user = userEvent.setup();
    let saved = 0;
    renderWithData(<ClinicSection settings={clinic.services.settings.get()} onSaved={() => (saved += 1)} />);
    const name = screen.getByLabelText('Clinic name');
    const idle = screen.getByLabelText('Lock after (minutes)');
    await user.clear(name);
    await user.click(name);
    await user.paste('R'.repeat(201));
    await user.clear(idle);
    await user.type(idle, '99');
    const before = host.calls.length;
    await user.click(screen.getByRole('button', { name: 'Save clinic settings' }));

    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(name)).toMatch(/Clinic name.*200/);
    expect(idle.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(idle)).toMatch(/Lock after must be a whole number from 1 to 60/);
    expect(host.calls.slice(before), 'refused in the renderer: no round trip').toEqual([]);
    expect(saved).toBe(0);
    expect(clinic.services.settings.get().clinicName).toBe('Test Clinic');

    await user.clear(name);
    await user.type(name, 'Rose Clinic');
    await user.clear(idle);
    await user.type(idle, '15');
    await user.click(screen.getByRole('button', { name: 'Save clinic settings' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Clinic settings saved.'));
    expect(host.calls.slice(before)).toEqual(['settings.update']);
    expect(clinic.services.settings.get()).toMatchObject({ clinicName: 'Rose Clinic', idleLockMinutes: 15 });
    expect(name.getAttribute('aria-invalid')).toBe('false');
    expect(saved).toBe(1);
  });

  it('Depth ranges: every refused row is marked at once, the first focused', async () => {
    const user = userEvent.setup();
    renderWithData(<DepthRangesSection settings={clinic.services.settings.get()} onSaved={() => {}} />);
    const foreheadMin = screen.getByLabelText('Forehead lowest depth (mm)');
    const noseMax = screen.getByLabelText('Nose highest depth (mm)');
    await user.clear(foreheadMin);
    await user.type(foreheadMin, '9');
    await user.clear(noseMax);
    const before = host.calls.length;
    await user.click(screen.getByRole('button', { name: 'Save depth ranges' }));

    await waitFor(() => expect(foreheadMin.getAttribute('aria-invalid')).toBe('true'));
    expect(noseMax.getAttribute('aria-invalid')).toBe('true');
    const table = foreheadMin.closest('table') as HTMLElement;
    expect(
      within(table).getAllByText((_, el) => el?.classList.contains('field-error') ?? false),
    ).toHaveLength(2);
    expect(document.activeElement).toBe(foreheadMin);
    expect(host.calls.slice(before)).toEqual([]);
  });

  it('Your PIN: the form’s own rule and the contract’s are shown together, before any round trip', async () => {
    const user = userEvent.setup();
    renderWithData(<ChangePinSection />);
    const current = screen.getByLabelText(/^Current PIN/);
    const pin = screen.getByLabelText(/^New PIN/);
    const again = screen.getByLabelText(/^Repeat new PIN/);
    await user.type(pin, '12');
    await user.type(again, '13');
    const before = host.calls.length;
    await user.click(screen.getByRole('button', { name: 'Change PIN' }));

    await waitFor(() => expect(again.getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(again)).toBe('The two new PINs are not the same.');
    expect(current.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(current)).toMatch(/PIN is required/);
    expect(pin.getAttribute('aria-invalid')).toBe('true');
    expect(host.calls.slice(before)).toEqual([]);
  });
});
