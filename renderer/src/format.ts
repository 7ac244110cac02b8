import { AREAS, INDICATIONS, type Area, type CourseStatus, type Indication } from '../../contract/domain.js';
import { ageOn, formatterFor, localDay, runtimeLocale, type Formatter } from '../../contract/format.js';
import type { ClientListItem } from '../../contract/schemas.js';

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI'] as const;

/** Fitzpatrick skin types as practitioners write them: I to VI. */
export function fitzpatrickLabel(type: number | null): string {
  if (type === null) return 'Not recorded';
  return `Type ${ROMAN[type - 1] ?? String(type)}`;
}

export const FITZPATRICK_OPTIONS: readonly { value: number; label: string }[] = [
  { value: 1, label: 'I – always burns, never tans' },
  { value: 2, label: 'II – usually burns, tans minimally' },
  { value: 3, label: 'III – sometimes burns, tans gradually' },
  { value: 4, label: 'IV – burns minimally, tans well' },
  { value: 5, label: 'V – rarely burns, tans very easily' },
  { value: 6, label: 'VI – never burns' },
];

/**
 * The screen's dates and numbers come from contract/format.ts in the clinic's locale: App sets it
 * from the settings (setDisplayLocale) before anything is drawn, so every page writes the same way.
 */
let display: Formatter = formatterFor(runtimeLocale());

export function setDisplayLocale(locale: string): void {
  if (locale !== display.locale) display = formatterFor(locale);
}

/** The screen's formatter, for what the helpers below do not cover (times, short dates, numbers). */
export function fmt(): Formatter {
  return display;
}

/** A calendar date (YYYY-MM-DD) in the clinic's locale, without any time-zone shift. */
export function formatDate(isoDate: string): string {
  return display.date(isoDate);
}

/** Age in whole years on `today` for a YYYY-MM-DD date of birth, or null if it cannot be told. */
export function ageInYears(dateOfBirth: string, today: Date = new Date()): number | null {
  return ageOn(dateOfBirth, localDay(today));
}

export function clientName(c: Pick<ClientListItem, 'firstName' | 'lastName'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An instant (ISO-8601) as a date and time on this machine's clock. */
export function formatInstant(iso: string): string {
  return display.dateTime(iso);
}

export { daysBetween, localDay } from '../../contract/format.js';

/** A depth in millimetres as practitioners write it: "0.25 mm". */
export function formatMm(mm: number): string {
  return display.mm(mm);
}

/** A course as practitioners name it: "Lips / perioral · Lip enhancement". */
export function courseTitle(c: { area: Area; indication: Indication }): string {
  return `${AREAS[c.area]} · ${INDICATIONS[c.indication]}`;
}

export const COURSE_STATUS_LABELS: Record<CourseStatus, string> = {
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
};
