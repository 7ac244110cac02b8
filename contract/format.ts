/**
 * Dates and numbers, one policy for the whole app: everything a person reads (screen, PDF) is
 * written in the clinic's locale — the "Date and number format" setting, or the operating system's
 * when it is not set — while files meant for other programs (CSV, bundles) keep ISO-8601. A clinic's
 * day is its own calendar day: the day of an instant is taken on this machine's clock.
 *
 * Plain `Intl` and `Date`, no Node built-ins, no zod: the renderer, the PDF and the services all
 * import this module.
 */

const pad = (n: number) => String(n).padStart(2, '0');

// ---------- calendar days (YYYY-MM-DD), locale-free ----------

/** The calendar day (YYYY-MM-DD) of an instant, or of now, on this machine's clock. */
export function localDay(at: Date | string = new Date()): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The value of a datetime-local input for an instant ("2026-09-01T09:05"), on this machine's clock. */
export function localDateTimeInput(at: Date): string {
  return `${localDay(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The local wall-clock time of an instant for file names: "10.32.05". */
export function localClockForFileName(at: Date): string {
  return `${pad(at.getHours())}.${pad(at.getMinutes())}.${pad(at.getSeconds())}`;
}

/** The first instant of a calendar day on this machine's clock, as stored (UTC ISO). */
export function startOfLocalDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

const utcMidnight = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Whole days from one calendar day to another; negative if `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / 86_400_000);
}

/** Days between two instants, as a fraction (for rules such as "at least 14 days apart"). */
export function daysBetweenInstants(fromIso: string, toIso: string): number {
  return (Date.parse(toIso) - Date.parse(fromIso)) / 86_400_000;
}

/** A calendar day moved by a number of days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Age in whole years on `today` (YYYY-MM-DD) for a date of birth (YYYY-MM-DD); null if it cannot be told. */
export function ageOn(dateOfBirth: string, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!b || !t) return null;
  const [y, m, d] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
  return age >= 0 && age < 150 ? age : null;
}

// ---------- the locale ----------

/** A BCP 47 tag this runtime can format with ("en-GB", "de-DE"), in its canonical spelling; null if not. */
export function canonicalLocale(tag: string): string | null {
  // Asked on every settings read (each session save): ICU's answer for a tag never changes.
  const known = canonicalCache.get(tag);
  if (known !== undefined) return known;
  let canonical: string | null = null;
  try {
    const [first] = Intl.getCanonicalLocales(tag);
    if (first && Intl.DateTimeFormat.supportedLocalesOf([first]).length > 0) canonical = first;
  } catch {
    canonical = null;
  }
  if (canonicalCache.size < 256) canonicalCache.set(tag, canonical);
  return canonical;
}
const canonicalCache = new Map<string, string | null>();

/** The locale this runtime formats with when none is chosen: the operating system's. */
export function runtimeLocale(): string {
  // Constructing a formatter to ask costs about half a millisecond, and the runtime's default
  // locale is fixed when it starts: asked once.
  runtimeDefault ??= new Intl.DateTimeFormat().resolvedOptions().locale;
  return runtimeDefault;
}
let runtimeDefault: string | undefined;

/** The clinic's locale: its setting when it names one, otherwise the operating system's. */
export function clinicLocale(settings: { locale: string; systemLocale: string }): string {
  return canonicalLocale(settings.locale) ?? canonicalLocale(settings.systemLocale) ?? runtimeLocale();
}

// ---------- formatting in a locale ----------

/** Every way NeedleLog writes a date, a time or a number for a person to read, in one locale. */
export interface Formatter {
  readonly locale: string;
  /** A calendar day: "12 Mar 2026" (en-GB), "Mar 12, 2026" (en-US). Unreadable text is returned as given. */
  date(day: string): string;
  /** A calendar day in few letters for chart axes: "12 Mar", with a two-digit year when asked. */
  shortDate(day: string, withYear: boolean): string;
  /** An instant on this machine's clock, date and time: "12 Mar 2026 10:05". */
  dateTime(iso: string | Date): string;
  /** An instant's time of day: "10:05". */
  time(iso: string | Date): string;
  /** A number with at most `maxDigits` decimals: "0.25" (en), "0,25" (de). */
  number(n: number, maxDigits?: number): string;
  /** A depth: "0.25 mm". */
  mm(n: number): string;
  /** A count of needle passes: "1 pass", "3 passes". */
  passes(n: number): string;
}

const formatters = new Map<string, Formatter>();

/** The formatter for a locale (made once per locale and kept). */
export function formatterFor(locale: string): Formatter {
  const known = formatters.get(locale);
  if (known) return known;
  const day = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const short = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const shortYear = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let f = numbers.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, useGrouping: false });
      numbers.set(digits, f);
    }
    return f;
  };
  const asDay = (d: string) => new Date(`${d.slice(0, 10)}T00:00:00Z`);
  const valid = (d: Date) => !Number.isNaN(d.getTime());
  const instant = (at: string | Date) => (typeof at === 'string' ? new Date(at) : at);
  const f: Formatter = {
    locale,
    date: (d) => (valid(asDay(d)) ? day.format(asDay(d)) : d),
    shortDate: (d, withYear) => (valid(asDay(d)) ? (withYear ? shortYear : short).format(asDay(d)) : d),
    // The day as `date` writes it, then the time: "24 Nov 2026 10:05", one shape everywhere.
    dateTime: (at) =>
      valid(instant(at)) ? `${f.date(localDay(instant(at)))} ${time.format(instant(at))}` : String(at),
    time: (at) => (valid(instant(at)) ? time.format(instant(at)) : String(at)),
    number: (n, maxDigits = 2) => numberFormat(maxDigits).format(n),
    mm: (n) => `${numberFormat(2).format(n)} mm`,
    passes: (n) => `${numberFormat(2).format(n)} ${n === 1 ? 'pass' : 'passes'}`,
  };
  formatters.set(locale, f);
  return f;
}
