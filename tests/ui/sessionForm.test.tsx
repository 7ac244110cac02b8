/** @vitest-environment jsdom */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogSessionPage } from '../../renderer/src/session/LogSessionPage.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { installInProcessHost, type InProcessHost } from './inProcessHost.js';
import { renderWithData } from './renderWithData.js';
import { installBrowserGaps } from './setup.js';

installBrowserGaps();
const hosts = installInProcessHost();

/**
 * The log-session form rendered in jsdom over a real clinic database (the dispatcher runs in this
 * process): carry-forward marks, live warnings, field errors after a refused save, and the timers
 * with a fake clock. Layout and pixels are Chromium's job (tests/e2e).
 */

let clinic: TestClinic;
let courseId: string;
let host: InProcessHost;

beforeEach(() => {
  clinic = openTestClinic();
  const { practitioner, course } = seedCourse(clinic, { area: 'neck', indication: 'fine_lines' });
  courseId = course.id;
  clinic.services.sessions.create({
    courseId,
    practitionerId: practitioner.id,
    performedAt: '2026-03-02T10:00:00Z',
    zones: [{ zone: 'neck', depthMm: 0.5 }],
    device: 'SkinPen Precision',
    passes: 3,
    numbingAgent: 'emla',
    numbingMinutes: 40,
    consentProcedure: true,
    photoConsent: 'record',
  });
  host = hosts.use(clinic, practitioner.id);
});

afterEach(() => {
  vi.useRealTimers();
  expect(host.logged, 'internal errors the host would have logged').toEqual([]);
  clinic.close();
});

const depthField = () => screen.getByLabelText('Needle depth, Neck (mm)') as HTMLInputElement;

/** The carried mark of the field whose input is `input`, if it shows one. */
function carriedMarkOf(input: HTMLElement): string | null {
  const box = input.closest('.field, .sf-zone') as HTMLElement | null;
  return box?.querySelector('.sf-carried-mark')?.textContent ?? null;
}

async function openForm() {
  renderWithData(<LogSessionPage courseId={courseId} />);
  await screen.findByRole('form', { name: 'Session' });
}

describe('the session form, rendered', () => {
  it('carries the last session forward, and a field typed over loses its mark, and only that field', async () => {
    const user = userEvent.setup();
    await openForm();
    const depth = depthField();
    const device = screen.getByLabelText('Device') as HTMLInputElement;
    expect(depth.value).toBe('0.5');
    expect(device.value).toBe('SkinPen Precision');
    expect(carriedMarkOf(depth)).toBe('from session 1');
    expect(carriedMarkOf(device)).toBe('from session 1');

    await user.clear(depth);
    await user.type(depth, '0.4');
    expect(carriedMarkOf(depth)).toBeNull();
    expect(carriedMarkOf(device)).toBe('from session 1');

    // Typing the carried value back is the carried value again.
    await user.clear(depth);
    await user.type(depth, '0.5');
    expect(carriedMarkOf(depth)).toBe('from session 1');
  });

  it('warns while typing, graded by how far outside the range the depth is, and clears in range', async () => {
    const user = userEvent.setup();
    await openForm();
    const depth = depthField();
    await user.clear(depth);
    await user.type(depth, '2.5');
    const warning = await waitFor(() => {
      const id = depth.getAttribute('aria-describedby') ?? '';
      const line = id
        .split(' ')
        .map((x) => document.getElementById(x))
        .find((el) => el?.classList.contains('sf-warn'));
      expect(line).toBeTruthy();
      return line as HTMLElement;
    });
    expect(warning.className).toContain('is-far'); // 2.5 mm is 5× the neck's 0.5 mm
    expect(warning.textContent).toMatch(/0\.25.*0\.5|0\.5/);
    expect(warning.textContent).toContain('You can still save it.');

    await user.clear(depth);
    await user.type(depth, '0.75');
    const mild = document.querySelector('.sf-zone .sf-warn') as HTMLElement;
    expect(mild).toBeTruthy();
    expect(mild.className).toMatch(/is-(just|well)\b/);

    await user.clear(depth);
    await user.type(depth, '0.3');
    expect(document.querySelector('.sf-zone .sf-warn')).toBeNull();
  });

  it('puts a refused save’s error on its field, and saves nothing', async () => {
    const user = userEvent.setup();
    await openForm();
    const depth = depthField();
    await user.clear(depth);
    await user.type(depth, 'deep');
    await user.click(screen.getByRole('button', { name: 'Save session' }));

    await waitFor(() => expect(depth.getAttribute('aria-invalid')).toBe('true'));
    const errorId = (depth.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .find((x) => document.getElementById(x)?.classList.contains('field-error'));
    expect(errorId, 'the error is tied to the field for screen readers').toBeTruthy();
    expect(document.getElementById(errorId as string)?.textContent).toMatch(/depth|number|mm/i);
    expect(clinic.services.sessions.list({ courseId })).toHaveLength(1);

    // Corrected, it saves: the second session is in the database.
    await user.clear(depth);
    await user.type(depth, '0.45');
    await user.click(screen.getByRole('button', { name: 'Save session' }));
    await waitFor(() => expect(clinic.services.sessions.list({ courseId })).toHaveLength(2));
    expect(clinic.services.sessions.list({ courseId })[1]?.zones).toEqual([{ zone: 'neck', depthMm: 0.45 }]);
  });

  it('times the numbing cream with the clock, and "Use N min" fills the field', async () => {
    vi.useFakeTimers({
      toFake: ['Date', 'setInterval', 'clearInterval'],
      now: Date.parse('2026-03-30T09:00:00Z'),
    });
    const user = userEvent.setup();
    await openForm();
    const numbing = screen.getByLabelText('Numbing time (min)') as HTMLInputElement;
    // Numbing time is timed afresh each session, never carried.
    expect(numbing.value).toBe('');

    await user.click(screen.getByRole('button', { name: 'Start numbing timer' }));
    await act(async () => {
      vi.advanceTimersByTime(12 * 60_000 + 10_000);
    });
    const reading = screen.getByRole('timer');
    expect(reading.getAttribute('aria-label')).toBe('Numbing cream on for 12 min');
    expect(within(reading).getByTestId('numbing-elapsed').textContent).toMatch(/12:10/);

    await user.click(screen.getByRole('button', { name: 'Use 12 min' }));
    expect(numbing.value).toBe('12');
    expect(screen.queryByRole('timer')).toBeNull();
    expect(carriedMarkOf(numbing)).toBeNull();
  });

  it('marks every bad field at once after one save, checked in the renderer without a round trip', async () => {
    const user = userEvent.setup();
    await openForm();
    const depth = depthField();
    const passes = screen.getByLabelText('Passes') as HTMLInputElement;
    const numbing = screen.getByLabelText('Numbing time (min)') as HTMLInputElement;
    await user.clear(depth);
    await user.type(depth, 'deep');
    await user.clear(passes);
    await user.type(passes, 'many');
    await user.type(numbing, '999');
    const callsBefore = host.calls.length;
    await user.click(screen.getByRole('button', { name: 'Save session' }));

    const errorOf = (input: HTMLElement) => {
      const id = (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .find((x) => document.getElementById(x)?.classList.contains('field-error'));
      return id ? document.getElementById(id)?.textContent : null;
    };
    await waitFor(() => expect(depth.getAttribute('aria-invalid')).toBe('true'));
    expect(passes.getAttribute('aria-invalid')).toBe('true');
    expect(numbing.getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(depth)).toMatch(/needle depth/i);
    expect(errorOf(passes)).toMatch(/passes/i);
    expect(errorOf(numbing)).toMatch(/240/);
    // The summary names all three, and the keyboard is on the first.
    const summary = screen.getByRole('alert');
    expect(within(summary).getAllByRole('listitem')).toHaveLength(3);
    expect(document.activeElement).toBe(depth);

    // Refused by the contract's schema in the renderer: nothing reached the host but the draft.
    expect(host.calls.slice(callsBefore).filter((c) => c !== 'drafts.save')).toEqual([]);
    expect(clinic.services.sessions.list({ courseId })).toHaveLength(1);

    // A summary line takes the keyboard to its field.
    await user.click(within(summary).getByRole('button', { name: /240/ }));
    expect(document.activeElement).toBe(numbing);
  });

  it('sends a save the renderer finds valid to the host, which saves it', async () => {
    const user = userEvent.setup();
    await openForm();
    const callsBefore = host.calls.length;
    await user.click(screen.getByRole('button', { name: 'Save session' }));
    await waitFor(() => expect(clinic.services.sessions.list({ courseId })).toHaveLength(2));
    expect(host.calls.slice(callsBefore)).toContain('sessions.create');
  });
});
