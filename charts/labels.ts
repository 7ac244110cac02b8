import { ADVERSE_EVENT_KINDS } from '../contract/domain.js';
import type { ProgressSession } from '../contract/progress.js';

/**
 * Words and dates around the charts, shared by the screen and the PDF report so both say the same
 * thing. `locale` defaults to the runtime's (the screen follows the user); the PDF passes a fixed one.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    formatters.set(key, f);
  }
  return f;
}

const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** "12 Mar", with the year when the course spans more than one. */
export function shortDate(d: string, withYear: boolean, locale?: string): string {
  return formatter(
    locale,
    withYear ? { day: 'numeric', month: 'short', year: '2-digit' } : { day: 'numeric', month: 'short' },
  ).format(day(d));
}

/** "12 Mar 2026". */
export function fullDate(d: string, locale?: string): string {
  return formatter(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(day(d));
}

/** True when the sessions run over more than one calendar year. */
export function spansYears(sessions: readonly Pick<ProgressSession, 'day'>[]): boolean {
  return sessions.length > 0 && sessions[0]!.day.slice(0, 4) !== sessions.at(-1)!.day.slice(0, 4);
}

export function eventsText(s: Pick<ProgressSession, 'adverseEvents'>): string {
  return s.adverseEvents.map((e) => `${ADVERSE_EVENT_KINDS[e.kind]} (${e.severity})`).join(', ');
}

export function intervalText(s: Pick<ProgressSession, 'intervalDays' | 'late'>, planned: number): string {
  if (s.intervalDays === null) return 'First session';
  return `${s.intervalDays} d${s.late ? ` · late (plan ${planned} d)` : ''}`;
}

/** The third line under a session on the x axis: "28 d", "35 d late" or nothing for the first. */
export function intervalTick(s: Pick<ProgressSession, 'intervalDays' | 'late'>): string {
  if (s.intervalDays === null) return '';
  return s.late ? `${s.intervalDays} d late` : `${s.intervalDays} d`;
}
