/** @vitest-environment jsdom */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Photo } from '../../contract/schemas.js';
import { PhotoCompare } from '../../renderer/src/photos/PhotoCompare.js';
import { openTestClinic, seedCourse, type TestClinic } from '../support/clinic.js';
import { plainJpeg } from '../support/images.js';
import { installBrowserGaps } from './setup.js';

installBrowserGaps();

/**
 * The comparison's controls in jsdom, over photos a real clinic filed: the divider as a keyboard
 * slider that clips each side to its own photo, stepping the right photo through the sessions,
 * the two layouts, and the different-views note. Pixels are checked in Chromium (photoCompare.spec).
 */

/** The photo's bytes as this window's Uint8Array (jsdom brings its own): what the renderer sends. */
const bytes = (b: Buffer) => new Uint8Array(b);

let clinic: TestClinic;
let photos: Photo[];

beforeEach(async () => {
  clinic = openTestClinic();
  const { practitioner, course } = seedCourse(clinic, { area: 'neck', indication: 'fine_lines' });
  for (let n = 1; n <= 3; n++) {
    const { value: session } = clinic.services.sessions.create({
      courseId: course.id,
      practitionerId: practitioner.id,
      performedAt: `2026-0${n + 2}-02T10:00:00Z`,
      zones: [{ zone: 'neck', depthMm: 0.5 }],
      consentProcedure: true,
      photoConsent: 'record',
    });
    await clinic.services.photos.import({
      sessionId: session.id,
      kind: 'before',
      view: 'frontal',
      data: bytes(await plainJpeg(64, 48, n)),
    });
    if (n === 3) {
      await clinic.services.photos.import({
        sessionId: session.id,
        kind: 'before',
        view: 'left_oblique',
        data: bytes(await plainJpeg(48, 64, 9)),
      });
    }
  }
  photos = clinic.services.photos.list({ courseId: course.id });
});

afterEach(() => clinic.close());

const label = (p: Photo) => `Session ${p.sessionNumber} ${p.view === 'frontal' ? 'frontal' : 'oblique'}`;

/** The course page's part: it owns which photo is on the right. */
function Harness({ left, right: first }: { left: Photo; right: Photo }) {
  const [right, setRight] = useState(first);
  return (
    <PhotoCompare
      left={left}
      right={right}
      photos={photos}
      label={label}
      onRight={setRight}
      onClose={() => {}}
    />
  );
}

const frontal = (n: number) => photos.find((p) => p.sessionNumber === n && p.view === 'frontal') as Photo;

/** The clip of the stage layer that holds the image with this alt text. */
function clipOf(alt: string): string {
  return (screen.getByAltText(alt).parentElement as HTMLElement).style.clipPath;
}

describe('the photo comparison, rendered', () => {
  it('moves the divider by keyboard, each side clipped to its own photo', async () => {
    const user = userEvent.setup();
    render(<Harness left={frontal(1)} right={frontal(3)} />);
    const slider = screen.getByRole('slider', { name: 'Comparison slider' });
    expect(slider.getAttribute('aria-valuenow')).toBe('50');
    expect(clipOf('Left: Session 1 frontal')).toBe('inset(0 50% 0 0)');
    expect(clipOf('Right: Session 3 frontal')).toBe('inset(0 0 0 50%)');

    slider.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(slider.getAttribute('aria-valuenow')).toBe('60');
    expect(slider.getAttribute('aria-valuetext')).toBe('60% Session 1 frontal, 40% Session 3 frontal');
    expect(clipOf('Left: Session 1 frontal')).toBe('inset(0 40% 0 0)');
    expect(clipOf('Right: Session 3 frontal')).toBe('inset(0 0 0 60%)');

    await user.keyboard('{Shift>}{ArrowLeft}{/Shift}');
    expect(slider.getAttribute('aria-valuenow')).toBe('59');
    await user.keyboard('{Home}');
    expect(clipOf('Left: Session 1 frontal')).toBe('inset(0 100% 0 0)');
    await user.keyboard('{End}');
    expect(slider.getAttribute('aria-valuenow')).toBe('100');
    // The slider keeps its arrows: the right photo did not change session.
    expect(screen.getByAltText('Right: Session 3 frontal')).toBeTruthy();
  });

  it('steps the right photo through the sessions of its view, with the buttons and ← →', async () => {
    const user = userEvent.setup();
    render(<Harness left={frontal(1)} right={frontal(3)} />);
    const next = screen.getByRole('button', { name: 'Next session →' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: '← Previous session' }));
    expect(screen.getByAltText('Right: Session 2 frontal')).toBeTruthy();
    screen.getByRole('region', { name: 'Photo comparison' }).focus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByAltText('Right: Session 1 frontal')).toBeTruthy();
    expect((screen.getByRole('button', { name: '← Previous session' }) as HTMLButtonElement).disabled).toBe(
      true,
    );
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByAltText('Right: Session 3 frontal')).toBeTruthy();
  });

  it('shows both photos whole side by side, and names each one’s consent scope', async () => {
    const user = userEvent.setup();
    render(<Harness left={frontal(1)} right={frontal(3)} />);
    await user.click(screen.getByRole('button', { name: 'Side by side' }));
    expect(screen.queryByRole('slider')).toBeNull();
    const figures = screen.getAllByRole('figure');
    expect(figures.map((f) => within(f).getByRole('img').getAttribute('alt'))).toEqual([
      'Left: Session 1 frontal',
      'Right: Session 3 frontal',
    ]);
    expect(screen.getByRole('button', { name: 'Side by side' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText(/^Photo consent:/).textContent).toMatch(
      /Session 1 frontal, .+ · Session 3 frontal, .+/,
    );
  });

  it('says when the two views differ, and offers the same view from the right photo’s session', async () => {
    const user = userEvent.setup();
    const oblique = photos.find((p) => p.view === 'left_oblique') as Photo;
    render(<Harness left={frontal(1)} right={oblique} />);
    const note = screen.getByRole('note');
    expect(note.textContent).toContain(
      'Different views: Frontal on the left, Left oblique (45°) on the right.',
    );
    await user.click(within(note).getByRole('button', { name: 'Compare Frontal with Frontal' }));
    expect(screen.getByAltText('Right: Session 3 frontal')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });
});
