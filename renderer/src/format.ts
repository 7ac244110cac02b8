import { AREAS, INDICATIONS, type Area, type CourseStatus, type Indication } from '../../contract/domain.js';
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

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date (YYYY-MM-DD) in the reader's locale, without any time-zone shift. */
export function formatDate(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? isoDate : DATE_FORMAT.format(d);
}

/** Age in whole years on `today` for a YYYY-MM-DD date of birth, or null if it cannot be told. */
export function ageInYears(dateOfBirth: string, today: Date = new Date()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getFullYear() - year;
  const beforeBirthday =
    today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 && age < 150 ? age : null;
}

export function clientName(c: Pick<ClientListItem, 'firstName' | 'lastName'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const DATE_TIME_FORMAT = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant (ISO-8601) as a date and time on this machine's clock. */
export function formatInstant(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DATE_TIME_FORMAT.format(d);
}

/** The calendar day (YYYY-MM-DD) of an instant, or of now, on this machine's clock: a clinic's day is local. */
export function localDay(at: Date | string = new Date()): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Whole days from one calendar day (YYYY-MM-DD) to another; negative if `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A depth in millimetres as practitioners write it: "0.25 mm". */
export function formatMm(mm: number): string {
  return `${Number(mm.toFixed(2))} mm`;
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
