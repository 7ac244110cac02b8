import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  canonicalLocale,
  clinicLocale,
  daysBetween,
  formatterFor,
  localDay,
  localDateTimeInput,
  startOfLocalDay,
} from '../../contract/format.js';
import {
  GRADE_LABELS,
  beyondPlanWarning,
  checkRange,
  depthWarning,
  howFarText,
  intervalWarning,
  numbingWarning,
  shortRangeText,
} from '../../contract/warnings.js';

const lips = { min: 0.25, max: 0.5 };

describe('clinical warning rules (contract/warnings.ts)', () => {
  it('grades a value by how far past the nearer bound it is: just, well, far', () => {
    expect(checkRange(0.5, lips)).toBeNull();
    expect(checkRange(0.25, lips)).toBeNull();
    expect(checkRange(0.6, lips)).toMatchObject({ grade: 'just', direction: 'above' });
    expect(checkRange(0.75, lips)).toMatchObject({ grade: 'well', direction: 'above', factor: 1.5 });
    expect(checkRange(1.0, lips)).toMatchObject({ grade: 'well' });
    expect(checkRange(2.5, lips)).toMatchObject({ grade: 'far', direction: 'above', factor: 5 });
    expect(checkRange(0.2, lips)).toMatchObject({ grade: 'just', direction: 'below' });
    expect(checkRange(0.1, lips)).toMatchObject({ grade: 'far', direction: 'below' });
  });

  it('tells 2.5 mm on the lips (5× the maximum) apart from 0.75 mm', () => {
    const far = depthWarning('upper_lip', 2.5, lips, 0)!;
    const well = depthWarning('upper_lip', 0.75, lips, 1)!;
    expect(far.message).toBe('Upper lip: 2.5 mm is outside the usual 0.25–0.5 mm for this area.');
    expect(far).toMatchObject({ code: 'depth_out_of_range', field: 'zones.0.depthMm', grade: 'far' });
    expect(far.detail).toBe('Far outside the usual range: 5× the usual maximum.');
    expect(well).toMatchObject({ field: 'zones.1.depthMm', grade: 'well' });
    expect(well.detail).toBe('Well outside the usual range: 1.5× the usual maximum.');
    expect(depthWarning('upper_lip', 0.4, lips, 0)).toBeNull();
  });

  it('says how far below the minimum in per cent, and writes numbers in the given locale', () => {
    const below = checkRange(0.1, lips)!;
    expect(howFarText(below)).toBe('40% of the usual minimum');
    const de = formatterFor('de-DE');
    expect(depthWarning('upper_lip', 0.75, lips, 0, de.number)?.message).toBe(
      'Upper lip: 0,75 mm is outside the usual 0,25–0,5 mm for this area.',
    );
    expect(shortRangeText(checkRange(2.5, lips)!)).toBe('far above usual');
    expect(Object.keys(GRADE_LABELS)).toEqual(['just', 'well', 'far']);
  });

  it('grades numbing time against its threshold, and checks interval and plan', () => {
    expect(numbingWarning(60)).toBeNull();
    expect(numbingWarning(null)).toBeNull();
    expect(numbingWarning(70)).toMatchObject({ code: 'numbing_too_long', grade: 'just' });
    expect(numbingWarning(180)).toMatchObject({ grade: 'far' });
    expect(intervalWarning('2026-03-12T10:00:00Z', '2026-03-01T10:00:00Z')?.message).toBe(
      'Only 11 days since the previous session of this course; at least 14 days is usual.',
    );
    expect(intervalWarning('2026-03-20T10:00:00Z', '2026-03-01T10:00:00Z')).toBeNull();
    expect(intervalWarning('2026-03-20T10:00:00Z', null)).toBeNull();
    expect(beyondPlanWarning(5, 4)?.message).toBe('This is session 5 of a course planned for 4.');
    expect(beyondPlanWarning(4, 4)).toBeNull();
  });
});

describe('dates and numbers (contract/format.ts)', () => {
  it('counts calendar days and ages without time-zone shifts', () => {
    expect(daysBetween('2026-03-01', '2026-03-29')).toBe(28);
    expect(daysBetween('2026-03-29', '2026-03-01')).toBe(-28);
    // Across the spring clock change in Europe: still whole days.
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(ageOn('1988-03-14', '2026-03-13')).toBe(37);
    expect(ageOn('1988-03-14', '2026-03-14')).toBe(38);
    expect(ageOn('31/12/1990', '2026-03-14')).toBeNull();
  });

  it("takes an instant's day and input value on this machine's clock", () => {
    const at = new Date(2026, 8, 1, 9, 5);
    expect(localDay(at)).toBe('2026-09-01');
    expect(localDateTimeInput(at)).toBe('2026-09-01T09:05');
    expect(new Date(startOfLocalDay('2026-09-01')).getTime()).toBe(new Date(2026, 8, 1).getTime());
  });

  it('writes dates and numbers in the clinic locale', () => {
    const gb = formatterFor('en-GB');
    const us = formatterFor('en-US');
    const de = formatterFor('de-DE');
    expect(gb.date('2026-03-14')).toBe('14 Mar 2026');
    expect(us.date('2026-03-14')).toBe('Mar 14, 2026');
    expect(de.date('2026-03-14')).toBe('14. März 2026');
    expect(gb.mm(0.25)).toBe('0.25 mm');
    expect(de.mm(0.25)).toBe('0,25 mm');
    expect(de.number(1.2345)).toBe('1,23');
    expect(gb.date('not a date')).toBe('not a date');
    expect(formatterFor('en-GB')).toBe(gb);
  });

  it('uses the clinic setting, else the operating system locale; refuses unknown tags', () => {
    expect(canonicalLocale('en-gb')).toBe('en-GB');
    expect(canonicalLocale('not a locale!')).toBeNull();
    expect(clinicLocale({ locale: 'de-DE', systemLocale: 'en-US' })).toBe('de-DE');
    expect(clinicLocale({ locale: '', systemLocale: 'en-IE' })).toBe('en-IE');
  });
});
