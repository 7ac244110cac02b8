import {
  effectiveDepthRange,
  type DepthRange,
  type Indication,
  type Zone,
} from '../../../contract/domain.js';
import type { Course, Settings } from '../../../contract/schemas.js';
import {
  depthWarning as depthWarning_,
  sessionWarnings,
  type ClinicalWarning,
  type NumberText,
} from '../../../contract/warnings.js';
import { formFieldOf, parseDecimal, toSessionFields } from './formConversion.js';
import type { FormValues } from './formValues.js';

/**
 * Usual ranges and the live clinical warnings of the form as typed: the rules themselves are the
 * contract's (contract/warnings.ts), the same the saved result uses, in the same words.
 */

export function depthRangeFor(
  zone: Zone,
  indication: Indication,
  settings: Pick<Settings, 'depthRanges' | 'indicationDepthRanges'>,
): DepthRange {
  return effectiveDepthRange(zone, indication, settings.depthRanges, settings.indicationDepthRanges);
}

export { rangeHint } from '../../../contract/warnings.js';

/**
 * The live warning for a typed depth (the rule the saved result uses, contract/warnings.ts), or
 * null when it is empty, unreadable or inside the range.
 */
export function depthWarning(
  zone: Zone,
  typed: string,
  range: DepthRange,
  row = 0,
  num?: NumberText,
): ClinicalWarning | null {
  const mm = parseDecimal(typed);
  return typeof mm === 'number' ? depthWarning_(zone, mm, range, row, num) : null;
}

/** A live warning and the form field it belongs to ("zones.0.depth", "numbingMinutes", "performedAt"). */
export interface LiveWarning {
  field: string;
  warning: ClinicalWarning;
}

interface LiveContext {
  course: Pick<Course, 'indication' | 'plannedSessions'>;
  settings: Pick<Settings, 'depthRanges' | 'indicationDepthRanges'>;
  /** When the course's previous session was (log form only); null: not checked. */
  previousAt: string | null;
  /** The number this session will have (log form only); null: not checked. */
  sessionNumber: number | null;
  num?: NumberText;
}

const isNumber = (n: unknown): n is number => typeof n === 'number';

/**
 * Every clinical warning for the form as typed: the form converted as a save would send it (values
 * that are empty or not numbers yet are left out), checked by the saved result's own function.
 */
export function liveWarnings(v: FormValues, ctx: LiveContext): LiveWarning[] {
  const { input, zoneRows } = toSessionFields(v);
  const rows: number[] = [];
  const zones = input.zones.filter((z, i) => {
    if (!isNumber(z.depthMm)) return false;
    rows.push(zoneRows[i] ?? i);
    return true;
  });
  const warnings = sessionWarnings(
    {
      zones,
      numbingMinutes: isNumber(input.numbingMinutes) ? input.numbingMinutes : null,
      performedAt: input.performedAt,
    },
    {
      indication: ctx.course.indication,
      depthRanges: ctx.settings.depthRanges,
      indicationDepthRanges: ctx.settings.indicationDepthRanges,
      plannedSessions: ctx.course.plannedSessions,
      previousAt: ctx.previousAt,
      sessionNumber: ctx.sessionNumber,
      ...(ctx.num ? { num: ctx.num } : {}),
    },
  );
  return warnings.map((warning) => ({ field: formFieldOf(warning.field, rows) ?? warning.field, warning }));
}
