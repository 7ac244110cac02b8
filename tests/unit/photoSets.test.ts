import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AREA_KEYS, PHOTO_VIEW_KEYS } from '../../contract/domain.js';
import { DEFAULT_PHOTO_SETS, missingViews, orderedViews, photoSetFor } from '../../contract/photoSets.js';
import { writeSetting } from '../../db/settings.js';
import { AppError } from '../../electron/services/errors.js';
import { diffRecords } from '../../renderer/src/session/history.js';
import { openTestClinic, type TestClinic } from '../support/clinic.js';

describe('standard photo sets (contract)', () => {
  it('gives every treatment area a default set of standard views, lips as the issue asks', () => {
    expect(DEFAULT_PHOTO_SETS.lips_perioral).toEqual([
      'frontal',
      'left_oblique',
      'right_oblique',
      'close_up',
    ]);
    for (const area of AREA_KEYS) {
      const set = DEFAULT_PHOTO_SETS[area];
      expect(set.length, area).toBeGreaterThan(0);
      expect(set[0], `${area} starts with the frontal view`).toBe('frontal');
      expect(orderedViews(set), `${area} is in standard view order, each once`).toEqual(set);
    }
  });

  it('lists the missing views of one kind in set order', () => {
    const required = DEFAULT_PHOTO_SETS.lips_perioral;
    const photos = [
      { kind: 'before', view: 'right_oblique' },
      { kind: 'after', view: 'frontal' },
      { kind: 'before', view: 'frontal' },
      { kind: 'before', view: 'left_lateral' },
    ] as const;
    expect(missingViews(required, photos, 'before')).toEqual(['left_oblique', 'close_up']);
    expect(missingViews(required, photos, 'after')).toEqual(['left_oblique', 'right_oblique', 'close_up']);
    expect(missingViews(required, [], 'after')).toEqual(required);
    expect(missingViews([], photos, 'before')).toEqual([]);
  });

  it("uses the clinic's set for an area, the default otherwise", () => {
    expect(photoSetFor({ lips_perioral: ['close_up'] }, 'lips_perioral')).toEqual(['close_up']);
    expect(photoSetFor({ lips_perioral: [] }, 'lips_perioral')).toEqual([]);
    expect(photoSetFor({}, 'neck')).toEqual(DEFAULT_PHOTO_SETS.neck);
  });

  it('orders any list of views the standard way and drops repeats', () => {
    expect(orderedViews(['close_up', 'frontal', 'close_up', 'left_oblique'])).toEqual([
      'frontal',
      'left_oblique',
      'close_up',
    ]);
  });
});

describe('photo sets in the settings (real SQLite)', () => {
  let clinic: TestClinic;
  beforeEach(() => {
    clinic = openTestClinic();
  });
  afterEach(() => clinic.close());

  it('starts from the defaults and keeps a saved set, in standard order, for that area only', () => {
    const { services } = clinic;
    expect(services.settings.get().photoSets).toEqual(DEFAULT_PHOTO_SETS);
    const saved = services.settings.update({
      photoSets: { lips_perioral: ['close_up', 'frontal'], other: [] },
    });
    expect(saved.photoSets.lips_perioral).toEqual(['frontal', 'close_up']);
    expect(saved.photoSets.other).toEqual([]);
    expect(saved.photoSets.neck).toEqual(DEFAULT_PHOTO_SETS.neck);
    expect(services.settings.get().photoSets.lips_perioral).toEqual(['frontal', 'close_up']);
    // The change is audited, and the history names it per area.
    const entries = services.audit.list({ entity: 'settings', entityId: 'settings' });
    const last = entries[0]!;
    const lines = diffRecords(last.before, last.after).filter((c) => c.key.startsWith('photoSets.'));
    expect(lines).toEqual([
      {
        key: 'photoSets.lips_perioral',
        label: 'Photo set, Lips / perioral',
        before: 'Frontal, Left oblique (45°), Right oblique (45°), Close-up',
        after: 'Frontal, Close-up',
      },
      { key: 'photoSets.other', label: 'Photo set, Other', before: 'Frontal, Close-up', after: '—' },
    ]);
  });

  it('gives areas missing from a stored value (an older version) their default set', () => {
    writeSetting(clinic.db, 'photoSets', { lips_perioral: ['frontal'] }, '2026-03-01T00:00:00.000Z');
    const sets = clinic.services.settings.get().photoSets;
    expect(sets.lips_perioral).toEqual(['frontal']);
    expect(sets.cheeks).toEqual(DEFAULT_PHOTO_SETS.cheeks);
    expect(Object.keys(sets).sort()).toEqual([...AREA_KEYS].sort());
  });

  it('refuses an unknown view or area, or a view twice, with a sentence, and saves nothing', () => {
    const { services } = clinic;
    const cases: [unknown, string][] = [
      [{ lips_perioral: ['frontal', 'top'] }, 'Choose a valid view.'],
      [{ elbows: ['frontal'] }, 'Unexpected field: elbows.'],
      [{ lips_perioral: ['frontal', 'frontal'] }, 'A photo set lists each view at most once.'],
      [{ lips_perioral: 'frontal' }, 'A photo set is a list of views.'],
      [{ lips_perioral: [...PHOTO_VIEW_KEYS, 'frontal'] }, 'A photo set lists each view at most once.'],
    ];
    for (const [photoSets, message] of cases) {
      let error: unknown;
      try {
        services.settings.update({ photoSets } as never);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(photoSets)).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe(message);
      expect((error as AppError).field).toMatch(/^photoSets/);
    }
    expect(services.settings.get().photoSets).toEqual(DEFAULT_PHOTO_SETS);
  });
});
