import { ADVERSE_EVENT_KINDS } from '../contract/domain.js';
import type { ProgressSession } from '../contract/progress.js';

/**
 * Words around the charts, shared by the screen and the PDF report so both say the same thing.
 * Dates are written by contract/format.ts in the clinic's locale.
 */

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
