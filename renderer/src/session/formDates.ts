import { localDateTimeInput, localDay } from '../../../contract/format.js';

/** The session form's date and time controls: datetime-local and date values, in the machine's zone. */

/** The value of a datetime-local input for an instant, in the machine's time zone. */
export const toLocalInput = localDateTimeInput;

export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : toLocalInput(d);
}

/** A datetime-local value (local time) as an ISO instant; "" (or nonsense) passes through for the API to name. */
export function localInputToIso(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** The value of a date input for the clinic's day of `now`. */
export const todayInput = (now: Date): string => localDay(now);
