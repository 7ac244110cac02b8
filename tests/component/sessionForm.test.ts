import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPTH_RANGES, DEFAULT_INDICATION_DEPTH_RANGES } from '../../contract/domain.js';
import type { Session } from '../../contract/schemas.js';
import {
  computePatch,
  formFieldOf,
  parseDecimal,
  toCreateInput,
} from '../../renderer/src/session/formConversion.js';
import { localInputToIso, toLocalInput } from '../../renderer/src/session/formDates.js';
import {
  carriedMarks,
  firstSessionValues,
  startValues,
  valuesFromSession,
  type StartContext,
} from '../../renderer/src/session/formDefaults.js';
import { fromDraft, toDraft } from '../../renderer/src/session/formDrafts.js';
import {
  depthRangeFor,
  depthWarning,
  liveWarnings,
  rangeHint,
} from '../../renderer/src/session/formRanges.js';
import { sectionOf, sectionStatus } from '../../renderer/src/session/formSections.js';
import { elapsedMinutes, formatElapsed } from '../../renderer/src/session/formTimers.js';
import { NO_TIMERS, involvesLips } from '../../renderer/src/session/formValues.js';

const settings = {
  depthRanges: DEFAULT_DEPTH_RANGES,
  indicationDepthRanges: DEFAULT_INDICATION_DEPTH_RANGES,
};

const PRACTITIONER = '0190a000-0000-7000-8000-000000000001';
const OTHER_PRACTITIONER = '0190a000-0000-7000-8000-000000000002';
const COURSE = '0190a000-0000-7000-8000-0000000000c1';

const ctx: StartContext = {
  area: 'lips_perioral',
  now: new Date(2026, 10, 24, 10, 5),
  practitionerId: PRACTITIONER,
  defaultNumbingAgent: 'emla',
};

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: '0190a000-0000-7000-8000-0000000000s1',
    courseId: COURSE,
    number: 2,
    practitionerId: OTHER_PRACTITIONER,
    practitionerName: 'Dr Aisha Rahman',
    performedAt: '2026-10-27T09:30:00.000Z',
    device: 'SkinPen Precision',
    cartridgeType: '14-pin',
    cartridgeLot: 'LOT-4471',
    zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
    passes: 3,
    speed: 6,
    glide: 'Hyaluronic acid',
    glideLot: 'HA-2290',
    numbingAgent: 'blt',
    numbingLot: 'BLT-0815',
    numbingConcentration: '',
    numbingMinutes: 25,
    numbingOcclusion: true,
    numbingArea: 'Lips and border',
    procedureMinutes: 30,
    pain: 4,
    erythema: 2,
    edema: 1,
    bleeding: 1,
    aftercare: ['spf30_from_24h', 'keep_lips_moisturised'],
    gaisPractitioner: 2,
    gaisClient: 3,
    satisfaction: 8,
    lipFullnessUpper: 3,
    lipFullnessLower: 4,
    goodmanBaron: null,
    consentProcedure: true,
    photoConsent: 'teaching',
    photoConsentDeclinedAt: null,
    notes: 'Client happy.',
    createdAt: '2026-10-27T10:00:00.000Z',
    updatedAt: '2026-10-27T10:00:00.000Z',
    deletedAt: null,
    ...overrides,
  };
}

describe('first session defaults', () => {
  it('lists the area’s zones with empty depths and takes numbing from settings', () => {
    const v = firstSessionValues(ctx);
    expect(v.zones).toEqual([
      { zone: 'upper_lip', depth: '' },
      { zone: 'lower_lip', depth: '' },
      { zone: 'perioral', depth: '' },
    ]);
    expect(v.numbingAgent).toBe('emla');
    expect(v.practitionerId).toBe(PRACTITIONER);
    expect(v.performedAt).toBe('2026-11-24T10:05');
    expect(v.aftercare).toEqual([]);
    expect(v.consentProcedure).toBe(false);
    expect(v.photoConsent).toBe('none');
  });

  it('records a full face zone by zone', () => {
    const v = firstSessionValues({ ...ctx, area: 'full_face' });
    expect(v.zones.map((z) => z.zone)).toEqual([
      'forehead',
      'periorbital_left',
      'periorbital_right',
      'nose',
      'cheek_left',
      'cheek_right',
      'upper_lip',
      'lower_lip',
      'perioral',
      'chin',
      'jawline_left',
      'jawline_right',
    ]);
  });

  it('says nothing was carried when there is no previous session', () => {
    const start = startValues(ctx, null);
    expect(start.carriedFrom).toBeNull();
    expect(start.carried).toEqual([]);
  });
});

describe('carry-forward from the previous session', () => {
  const start = startValues(ctx, session());

  it('carries the technique: device, cartridge, zones and depths, numbing, passes, speed, glide, aftercare', () => {
    const v = start.values;
    expect(v.device).toBe('SkinPen Precision');
    expect(v.cartridgeType).toBe('14-pin');
    expect(v.cartridgeLot).toBe('LOT-4471');
    expect(v.zones).toEqual([{ zone: 'upper_lip', depth: '0.4' }]);
    expect(v.passes).toBe('3');
    expect(v.speed).toBe('6');
    expect(v.glide).toBe('Hyaluronic acid');
    expect(v.numbingAgent).toBe('blt');
    expect(v.numbingOcclusion).toBe(true);
    expect(v.numbingArea).toBe('Lips and border');
    expect(v.aftercare).toEqual(['spf30_from_24h', 'keep_lips_moisturised']);
    expect(start.carriedFrom).toBe(2);
    expect(start.carried).toEqual(
      expect.arrayContaining(['device', 'cartridgeLot', 'zones', 'numbingAgent', 'passes', 'aftercare']),
    );
  });

  it('does not carry what describes the visit: time, minutes, pain, response, scores, consent, notes', () => {
    const v = start.values;
    expect(v.performedAt).toBe('2026-11-24T10:05');
    expect(v.practitionerId).toBe(PRACTITIONER);
    expect(v.numbingMinutes).toBe('');
    expect(v.procedureMinutes).toBe('');
    expect([v.pain, v.erythema, v.edema, v.bleeding]).toEqual(['', '', '', '']);
    expect([
      v.gaisPractitioner,
      v.gaisClient,
      v.satisfaction,
      v.lipFullnessUpper,
      v.lipFullnessLower,
    ]).toEqual(['', '', '', '', '']);
    expect(v.consentProcedure).toBe(false);
    expect(v.photoConsent).toBe('none');
    expect(v.notes).toBe('');
    expect(v.adverseEvents).toEqual([]);
  });

  it('marks only fields that actually held a value', () => {
    const s = startValues(ctx, session({ device: '', glide: '', passes: null, aftercare: [] }));
    expect(s.carried).not.toContain('device');
    expect(s.carried).not.toContain('glide');
    expect(s.carried).not.toContain('passes');
    expect(s.carried).not.toContain('aftercare');
    expect(s.carried).toContain('cartridgeLot');
  });

  it('uses the previous numbing agent over the settings default, even "none"', () => {
    expect(startValues(ctx, session({ numbingAgent: 'none' })).values.numbingAgent).toBe('none');
  });
});

describe('depth ranges per zone and indication', () => {
  it('uses the zone’s range for lip enhancement', () => {
    const r = depthRangeFor('upper_lip', 'lip_enhancement', settings);
    expect(r).toEqual({ min: 0.25, max: 0.5 });
    expect(rangeHint(r)).toBe('usual 0.25–0.5 mm');
  });

  it('goes deeper for acne scars on the cheeks, but periorbital stays shallow', () => {
    expect(depthRangeFor('cheek_left', 'acne_scars', settings)).toEqual({ min: 1.0, max: 2.5 });
    expect(depthRangeFor('periorbital_left', 'acne_scars', settings)).toEqual({ min: 0.2, max: 0.3 });
  });

  it('follows the clinic’s settings', () => {
    const custom = {
      depthRanges: { ...DEFAULT_DEPTH_RANGES, upper_lip: { min: 0.3, max: 0.8 } },
      indicationDepthRanges: {},
    };
    expect(depthRangeFor('upper_lip', 'lip_enhancement', custom)).toEqual({ min: 0.3, max: 0.8 });
    expect(depthRangeFor('cheek_left', 'acne_scars', custom)).toEqual({ min: 0.5, max: 1.0 });
  });

  it('warns live outside the range, not inside it nor for an empty or unreadable entry', () => {
    const r = { min: 0.25, max: 0.5 };
    // The live form says what the saved result says (contract/warnings.ts), word for word.
    expect(depthWarning('upper_lip', '1.2', r)?.message).toBe(
      'Upper lip: 1.2 mm is outside the usual 0.25–0.5 mm for this area.',
    );
    expect(depthWarning('upper_lip', '0,2', r)?.message).toContain('0.2 mm');
    expect(depthWarning('upper_lip', '0.5', r)).toBeNull();
    expect(depthWarning('upper_lip', '0.25', r)).toBeNull();
    expect(depthWarning('upper_lip', '', r)).toBeNull();
    expect(depthWarning('upper_lip', 'abc', r)).toBeNull();
  });
});

describe('form → API input', () => {
  it('parses numbers, turns empty text into null and the local time into an ISO instant', () => {
    const v = {
      ...firstSessionValues(ctx),
      zones: [{ zone: 'upper_lip' as const, depth: '0,45' }],
      passes: '3',
      speed: '',
      pain: '0',
      numbingMinutes: ' 25 ',
    };
    const { input } = toCreateInput(COURSE, v);
    expect(input.courseId).toBe(COURSE);
    expect(input.zones).toEqual([{ zone: 'upper_lip', depthMm: 0.45 }]);
    expect(input.passes).toBe(3);
    expect(input.speed).toBeNull();
    expect(input.pain).toBe(0);
    expect(input.erythema).toBeNull();
    expect(input.numbingMinutes).toBe(25);
    expect(input.performedAt).toBe(new Date(2026, 10, 24, 10, 5).toISOString());
    expect(input.adverseEvents).toEqual([]);
  });

  it('passes unreadable numbers on as typed, so the contract names the field', () => {
    expect(parseDecimal('three')).toBe('three');
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('1.5')).toBe(1.5);
  });

  it('leaves out zones without a depth and remembers which form row each sent zone came from', () => {
    const v = {
      ...firstSessionValues({ ...ctx, area: 'full_face' }),
    };
    v.zones = v.zones.map((z, i) => (i === 1 || i === 4 ? { ...z, depth: '0.3' } : z));
    const { input, zoneRows } = toCreateInput(COURSE, v);
    expect(input.zones.map((z) => z.zone)).toEqual(['periorbital_left', 'cheek_left']);
    expect(zoneRows).toEqual([1, 4]);
    expect(formFieldOf('zones.1.depthMm', zoneRows)).toBe('zones.4.depth');
  });

  it('sends the concentration only for "other" and adverse events with their dates', () => {
    const v = {
      ...firstSessionValues(ctx),
      numbingConcentration: 'lidocaine 10%',
      adverseEvents: [
        {
          key: 'a',
          kind: 'bruising' as const,
          severity: 'mild' as const,
          onsetOn: '2026-11-24',
          resolvedOn: '',
          notes: '',
        },
      ],
    };
    expect(toCreateInput(COURSE, v).input.numbingConcentration).toBe('');
    expect(toCreateInput(COURSE, { ...v, numbingAgent: 'other' }).input.numbingConcentration).toBe(
      'lidocaine 10%',
    );
    expect(toCreateInput(COURSE, v).input.adverseEvents).toEqual([
      { kind: 'bruising', severity: 'mild', onsetOn: '2026-11-24', resolvedOn: null, notes: '' },
    ]);
  });

  it('sends a zone’s passes when typed or stepped, leaves them out when empty, and maps their errors to the row', () => {
    const v = {
      ...firstSessionValues({ ...ctx, area: 'full_face' }),
    };
    v.zones = v.zones.map((z, i) =>
      i === 1 ? { ...z, depth: '0.3', passes: '2' } : i === 4 ? { ...z, depth: '1', passes: ' ' } : z,
    );
    const { input, zoneRows } = toCreateInput(COURSE, v);
    expect(input.zones).toEqual([
      { zone: 'periorbital_left', depthMm: 0.3, passes: 2 },
      { zone: 'cheek_left', depthMm: 1 },
    ]);
    expect(formFieldOf('zones.1.passes', zoneRows)).toBe('zones.4.passes');
    expect(formFieldOf('patch.zones.0.passes', zoneRows)).toBe('zones.1.passes');
    expect(sectionOf('zones.4.passes')).toBe('depth');
  });

  it('round-trips the datetime-local value', () => {
    const d = new Date(2026, 0, 5, 7, 9);
    expect(toLocalInput(d)).toBe('2026-01-05T07:09');
    expect(localInputToIso('2026-01-05T07:09')).toBe(d.toISOString());
    expect(localInputToIso('')).toBe('');
  });
});

describe('edit patch', () => {
  it('is empty when nothing changed', () => {
    const s = session();
    expect(computePatch(s, valuesFromSession(s)).input).toEqual({});
  });

  it('holds only the changed fields', () => {
    const s = session();
    const v = valuesFromSession(s);
    v.zones = [{ zone: 'upper_lip', depth: '0.5' }];
    v.pain = '';
    v.notes = 'Client happy. Slight swelling.';
    expect(computePatch(s, v).input).toEqual({
      zones: [{ zone: 'upper_lip', depthMm: 0.5 }],
      pain: null,
      notes: 'Client happy. Slight swelling.',
    });
  });

  it('carries a zone’s passes into the form and notices a change of them alone', () => {
    const s = session({
      zones: [
        { zone: 'upper_lip', depthMm: 0.4, passes: 3 },
        { zone: 'lower_lip', depthMm: 0.4 },
      ],
    });
    const v = valuesFromSession(s);
    expect(v.zones).toEqual([
      { zone: 'upper_lip', depth: '0.4', passes: '3' },
      { zone: 'lower_lip', depth: '0.4' },
    ]);
    expect(computePatch(s, v).input).toEqual({});
    v.zones = [
      { zone: 'upper_lip', depth: '0.4', passes: '4' },
      { zone: 'lower_lip', depth: '0.4', passes: '' },
    ];
    expect(computePatch(s, v).input).toEqual({
      zones: [
        { zone: 'upper_lip', depthMm: 0.4, passes: 4 },
        { zone: 'lower_lip', depthMm: 0.4 },
      ],
    });
    // The next session starts from them, marked as carried while they are unchanged.
    const start = startValues(ctx, s);
    expect(start.values.zones[0]).toEqual({ zone: 'upper_lip', depth: '0.4', passes: '3' });
    expect(carriedMarks(start, start.values).zones).toEqual(['upper_lip', 'lower_lip']);
    const stepped = {
      ...start.values,
      zones: start.values.zones.map((z) => (z.zone === 'upper_lip' ? { ...z, passes: '4' } : z)),
    };
    expect(carriedMarks(start, stepped).zones).toEqual(['lower_lip']);
    // A draft keeps them; one saved before passes per zone restores with none.
    const restored = fromDraft(JSON.parse(JSON.stringify(toDraft(start, stepped, NO_TIMERS))));
    expect(restored!.values.zones).toEqual(stepped.zones);
    const older = toDraft(start, { ...stepped, zones: [{ zone: 'upper_lip', depth: '0.4' }] }, NO_TIMERS);
    expect(fromDraft(JSON.parse(JSON.stringify(older)))!.values.zones).toEqual([
      { zone: 'upper_lip', depth: '0.4' },
    ]);
  });

  it('notices a new session time but not a re-formatted same one', () => {
    const s = session();
    const v = valuesFromSession(s);
    expect(computePatch(s, v).input).not.toHaveProperty('performedAt');
    v.performedAt = toLocalInput(new Date(Date.parse(s.performedAt) + 3_600_000));
    expect(computePatch(s, v).input).toHaveProperty('performedAt');
  });
});

describe('timers', () => {
  it('rounds elapsed time to the nearest minute and never goes below zero', () => {
    const t0 = 1_800_000_000_000;
    expect(elapsedMinutes(t0, t0 + 25 * 60_000)).toBe(25);
    expect(elapsedMinutes(t0, t0 + 24 * 60_000 + 29_000)).toBe(24);
    expect(elapsedMinutes(t0, t0 + 24 * 60_000 + 30_000)).toBe(25);
    expect(elapsedMinutes(t0, t0 - 5000)).toBe(0);
  });

  it('shows minutes and seconds, and hours past an hour', () => {
    const t0 = 1_800_000_000_000;
    expect(formatElapsed(t0, t0 + 65_000)).toBe('1:05');
    expect(formatElapsed(t0, t0 + 3_729_000)).toBe('1:02:09');
  });
});

describe('API error field → form field', () => {
  it('maps create and update paths to controls', () => {
    expect(formFieldOf('pain')).toBe('pain');
    expect(formFieldOf('performedAt')).toBe('performedAt');
    expect(formFieldOf('zones.0.depthMm')).toBe('zones.0.depth');
    expect(formFieldOf('zones')).toBe('zones.0.depth');
    expect(formFieldOf('patch.zones.0.depthMm')).toBe('zones.0.depth');
    expect(formFieldOf('patch.numbingMinutes')).toBe('numbingMinutes');
    expect(formFieldOf('adverseEvents.0.resolvedOn')).toBe('adverseEvents.0.resolvedOn');
    expect(formFieldOf('aftercare.2')).toBe('aftercare');
  });

  it('leaves unknown or missing fields to the summary', () => {
    expect(formFieldOf(undefined)).toBeNull();
    expect(formFieldOf('courseId')).toBeNull();
  });
});

describe('drafts', () => {
  it('restores what was saved, running timers included', () => {
    const start = startValues(ctx, session());
    const timers = { numbingStartedAt: 1_800_000_000_000, procedureStartedAt: null };
    const data = JSON.parse(
      JSON.stringify(toDraft(start, { ...start.values, pain: '3' }, timers)),
    ) as unknown;
    const back = fromDraft(data);
    expect(back?.values.pain).toBe('3');
    expect(back?.timers).toEqual(timers);
    expect(back?.carriedFrom).toBe(2);
  });

  it('ignores anything that is not a draft of this form', () => {
    expect(fromDraft(null)).toBeNull();
    expect(fromDraft({ version: 2 })).toBeNull();
    expect(fromDraft({ version: 1, values: { zones: 'x' } })).toBeNull();
  });
});

it('offers lip items for lip courses and courses that include the lips', () => {
  expect(involvesLips('lips_perioral', [])).toBe(true);
  expect(involvesLips('cheeks', [{ zone: 'cheek_left', depth: '' }])).toBe(false);
  expect(involvesLips('full_face', [{ zone: 'upper_lip', depth: '' }])).toBe(true);
});

describe('carried-forward marks', () => {
  const start = startValues(ctx, session());

  it('clear on the one field typed over, and come back if the carried value is typed again', () => {
    expect(carriedMarks(start, start.values).fields).toEqual(start.carried);
    const typed = { ...start.values, device: 'Dermapen 4' };
    const marks = carriedMarks(start, typed);
    expect(marks.fields).not.toContain('device');
    expect(marks.fields).toContain('cartridgeLot');
    expect(marks.fields).toContain('zones');
    expect(carriedMarks(start, { ...typed, device: 'SkinPen Precision' }).fields).toContain('device');
  });

  it("mark each zone's depth on its own", () => {
    const two = startValues(
      ctx,
      session({
        zones: [
          { zone: 'upper_lip', depthMm: 0.4 },
          { zone: 'chin', depthMm: 0.75 },
        ],
      }),
    );
    const typed = {
      ...two.values,
      zones: two.values.zones.map((z) => (z.zone === 'chin' ? { ...z, depth: '1' } : z)),
    };
    const marks = carriedMarks(two, typed);
    expect(marks.zones).toEqual(['upper_lip']);
    expect(marks.fields).toContain('zones');
    const none = carriedMarks(two, { ...typed, zones: [{ zone: 'upper_lip', depth: '0.5' }] });
    expect(none.zones).toEqual([]);
    expect(none.fields).not.toContain('zones');
  });

  it('survive a draft, and mark nothing for a first session', () => {
    const typed = { ...start.values, passes: '4' };
    const back = fromDraft(JSON.parse(JSON.stringify(toDraft(start, typed, NO_TIMERS))));
    expect(carriedMarks(back!, back!.values).fields).not.toContain('passes');
    expect(carriedMarks(back!, back!.values).fields).toContain('device');
    const first = startValues(ctx, null);
    expect(carriedMarks(first, first.values)).toEqual({ fields: [], zones: [] });
  });
});

describe('live warnings and the section index', () => {
  const course = { indication: 'lip_enhancement' as const, plannedSessions: 4 };
  const settings = {
    depthRanges: DEFAULT_DEPTH_RANGES,
    indicationDepthRanges: DEFAULT_INDICATION_DEPTH_RANGES,
  };

  it('apply the saved result’s rules to the form as typed', () => {
    const v = {
      ...firstSessionValues(ctx),
      performedAt: '2026-11-24T10:05',
      zones: [{ zone: 'upper_lip' as const, depth: '2,5' }],
      numbingMinutes: '75',
    };
    const w = liveWarnings(v, { course, settings, previousAt: '2026-11-20T10:00:00Z', sessionNumber: 5 });
    expect(w.map((x) => [x.field, x.warning.code, x.warning.grade])).toEqual([
      ['zones.0.depth', 'depth_out_of_range', 'far'],
      ['numbingMinutes', 'numbing_too_long', 'just'],
      ['performedAt', 'interval_too_short', undefined],
      ['performedAt', 'beyond_plan', undefined],
    ]);
    const status = sectionStatus(v, w, ['pain']);
    expect(status.depth).toEqual({ filled: true, warnings: 1, error: false });
    expect(status.visit.warnings).toBe(2);
    expect(status.response).toEqual({ filled: false, warnings: 0, error: true });
    expect(status.consent.filled).toBe(false);
    expect(sectionOf('adverseEvents.1.kind')).toBe('adverse');
    expect(sectionOf('zones.3.depth')).toBe('depth');
  });
});
