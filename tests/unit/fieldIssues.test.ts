import { describe, expect, it } from 'vitest';
import { SessionCreate } from '../../contract/schemas.js';
import { errorFromZod } from '../../contract/result.js';
import { formErrors } from '../../renderer/src/forms/formErrors.js';
import { formFieldOf } from '../../renderer/src/session/formConversion.js';

const base = {
  courseId: '0190a000-0000-7000-8000-000000000001',
  practitionerId: '0190a000-0000-7000-8000-000000000002',
  performedAt: '2026-03-02T10:00:00.000Z',
  zones: [{ zone: 'neck', depthMm: 0.5 }],
};

describe('a refused input names every field at once', () => {
  it('keeps the first issue as the one sentence, and lists one issue per field', () => {
    const parsed = SessionCreate.safeParse({ ...base, passes: 'many', numbingMinutes: 999, pain: 11 });
    expect(parsed.success).toBe(false);
    const error = errorFromZod(parsed.error!);
    expect(error.code).toBe('invalid_input');
    expect(error.field).toBe('passes');
    expect(error.message).toBe(error.issues?.[0]?.message);
    expect(error.issues?.map((i) => i.field)).toEqual(['passes', 'numbingMinutes', 'pain']);
    expect(error.issues?.every((i) => i.message.length > 0)).toBe(true);
  });

  it('leaves out the list when there is one issue, so one-sentence callers see what they saw', () => {
    const parsed = SessionCreate.safeParse({ ...base, pain: 11 });
    const error = errorFromZod(parsed.error!);
    expect(error).toEqual({ code: 'invalid_input', message: error.message, field: 'pain' });
  });

  it('puts each issue on the form field it belongs to, the API paths mapped by the form', () => {
    const parsed = SessionCreate.safeParse({
      ...base,
      zones: [
        { zone: 'neck', depthMm: 0.5 },
        { zone: 'forehead', depthMm: 9 },
      ],
      pain: 11,
    });
    // The form's second zone row was left empty and not sent: the API's zones.1 is the form's row 2.
    const errors = formErrors(errorFromZod(parsed.error!), (f) => formFieldOf(f, [0, 2]));
    expect(errors.map((e) => e.field)).toEqual(['zones.2.depth', 'pain']);
  });
});
