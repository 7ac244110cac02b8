import { AppError } from './errors.js';

/** An adverse event cannot resolve before it began; `field` names the input it came from. */
export function checkEventDates(
  e: { onsetOn: string; resolvedOn: string | null },
  field = 'resolvedOn',
): void {
  if (e.resolvedOn !== null && e.resolvedOn < e.onsetOn) {
    throw new AppError('invalid_input', 'The resolved date cannot be before the onset date.', field);
  }
}
