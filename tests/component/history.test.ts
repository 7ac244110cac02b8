import { beforeAll, describe, expect, it } from 'vitest';
import { setDisplayLocale } from '../../renderer/src/format.js';
import { actionTitle, diffRecords, formatValue } from '../../renderer/src/session/history.js';

// The screen writes dates in the clinic's locale; these expectations are for a British clinic.
beforeAll(() => setDisplayLocale('en-GB'));

describe('history diff', () => {
  it('lists a change of a zone’s passes on its own line, beside its depth', () => {
    const before = {
      zones: [
        { zone: 'cheek_left', depthMm: 1 },
        { zone: 'forehead', depthMm: 0.5, passes: 2 },
      ],
    };
    const after = {
      zones: [
        { zone: 'cheek_left', depthMm: 1, passes: 4 },
        { zone: 'forehead', depthMm: 0.75, passes: 1 },
      ],
    };
    expect(diffRecords(before, after)).toEqual([
      { key: 'zones.cheek_left.passes', label: 'Passes, Left cheek', before: '—', after: '4 passes' },
      { key: 'zones.forehead', label: 'Needle depth, Forehead', before: '0.5 mm', after: '0.75 mm' },
      { key: 'zones.forehead.passes', label: 'Passes, Forehead', before: '2 passes', after: '1 pass' },
    ]);
  });

  it('lists changed fields with human labels and values, ignoring timestamps', () => {
    const before = {
      id: 'x',
      updatedAt: '2026-11-24T10:00:00Z',
      createdAt: '2026-11-24T10:00:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.4 }],
      numbingAgent: 'emla',
      numbingMinutes: 20,
      pain: 3,
      aftercare: ['avoid_sun'],
      consentProcedure: false,
      notes: 'same',
    };
    const after = {
      ...before,
      updatedAt: '2026-11-24T10:05:00Z',
      zones: [{ zone: 'upper_lip', depthMm: 0.5 }],
      numbingAgent: 'blt',
      numbingMinutes: 25,
      pain: null,
      aftercare: ['avoid_sun', 'spf30_from_24h'],
      consentProcedure: true,
    };
    expect(diffRecords(before, after)).toEqual([
      {
        key: 'zones.upper_lip',
        label: 'Needle depth, Upper lip',
        before: '0.4 mm',
        after: '0.5 mm',
      },
      {
        key: 'numbingAgent',
        label: 'Numbing agent',
        before: 'EMLA (lidocaine 2.5% + prilocaine 2.5%)',
        after: 'BLT (benzocaine 20% / lidocaine 6% / tetracaine 4%)',
      },
      { key: 'numbingMinutes', label: 'Numbing time', before: '20 min', after: '25 min' },
      { key: 'pain', label: 'Pain', before: '3', after: '—' },
      { key: 'aftercare', label: 'Aftercare', before: 'Avoid sun', after: 'Avoid sun, SPF 30+ from 24 h' },
      { key: 'consentProcedure', label: 'Procedure consent confirmed', before: 'No', after: 'Yes' },
    ]);
  });

  it('names a declined photo consent and when it was given as an answer', () => {
    const before = { photoConsent: 'none', photoConsentDeclinedAt: null };
    const declined = { photoConsent: 'none', photoConsentDeclinedAt: '2026-11-24T10:05:00.000Z' };
    const [change] = diffRecords(before, declined);
    expect(change?.label).toBe('Photo consent declined');
    expect(change?.before).toBe('—');
    expect(change?.after).toMatch(/^24 Nov 2026 \d\d:05$/);
    expect(diffRecords(declined, { photoConsent: 'teaching', photoConsentDeclinedAt: null })).toEqual([
      { key: 'photoConsent', label: 'Photo consent', before: 'None', after: 'Teaching' },
      { key: 'photoConsentDeclinedAt', label: 'Photo consent declined', before: change?.after, after: '—' },
    ]);
  });

  it('names the numbing and glide lots in a session edit', () => {
    const before = { cartridgeLot: 'L1', numbingLot: '', glideLot: 'HA-1' };
    const after = { cartridgeLot: 'L1', numbingLot: 'EM-88', glideLot: 'HA-2' };
    expect(diffRecords(before, after)).toEqual([
      { key: 'numbingLot', label: 'Numbing lot', before: '—', after: 'EM-88' },
      { key: 'glideLot', label: 'Glide lot', before: 'HA-1', after: 'HA-2' },
    ]);
  });

  it('shows added and removed zones, and setting ranges', () => {
    expect(
      diffRecords(
        { zones: [{ zone: 'cheek_left', depthMm: 1 }] },
        {
          zones: [
            { zone: 'cheek_left', depthMm: 1 },
            { zone: 'chin', depthMm: 0.75 },
          ],
        },
      ),
    ).toEqual([{ key: 'zones.chin', label: 'Needle depth, Chin', before: '—', after: '0.75 mm' }]);
    expect(
      diffRecords(
        { depthRanges: { cheeks: { min: 0.5, max: 1 } } },
        { depthRanges: { cheeks: { min: 0.6, max: 1.2 } } },
      ),
    ).toEqual([
      { key: 'depthRanges.cheeks', label: 'Depth range, Cheeks', before: '0.5–1 mm', after: '0.6–1.2 mm' },
    ]);
  });

  it('uses the practitioner’s name, not the id', () => {
    const changes = diffRecords(
      { practitionerId: 'a', practitionerName: 'Dr A' },
      { practitionerId: 'b', practitionerName: 'Dr B' },
    );
    expect(changes).toEqual([
      { key: 'practitionerName', label: 'Practitioner', before: 'Dr A', after: 'Dr B' },
    ]);
  });

  it('formats client and course values', () => {
    expect(formatValue('fitzpatrick', 5)).toBe('Type V');
    expect(formatValue('contraindications', ['pregnancy'])).toBe('Pregnancy');
    expect(formatValue('contraindications', [])).toBe('None');
    expect(formatValue('area', 'lips_perioral')).toBe('Lips / perioral');
    expect(formatValue('status', 'paused')).toBe('Paused');
    expect(formatValue('dateOfBirth', '1988-03-14')).toBe('14 Mar 1988');
    expect(formatValue('gaisClient', 2)).toBe('2 (Much improved)');
    expect(formatValue('photoConsent', 'record')).toBe('Record only');
  });

  it('names actions', () => {
    expect(actionTitle('session', 'create')).toBe('Session created');
    expect(actionTitle('client', 'delete')).toBe('Client deleted');
    expect(actionTitle('adverse_event', 'restore')).toBe('Adverse event restored');
    expect(actionTitle('settings', 'update')).toBe('Settings changed');
  });
});
