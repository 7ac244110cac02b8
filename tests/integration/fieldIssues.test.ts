import { describe, expect, it } from 'vitest';
import { openTestClinic, seedCourse } from '../support/clinic.js';
import { dispatch } from '../../electron/api/dispatch.js';
import { createJobs } from '../../electron/api/jobs.js';

describe('the host refuses a save with every field’s issue', () => {
  it('answers sessions.create with three bad fields with three issues, the first as its message, and saves nothing', async () => {
    const clinic = openTestClinic();
    try {
      const { practitioner, course } = seedCourse(clinic, { area: 'neck', indication: 'fine_lines' });
      const logged: string[] = [];
      const deps = { services: clinic.services, jobs: createJobs() };
      const caller = { session: { practitionerId: practitioner.id, locked: false } };
      const reply = await dispatch(
        deps,
        'sessions.create',
        {
          courseId: course.id,
          practitionerId: practitioner.id,
          performedAt: '2026-03-02T10:00:00Z',
          zones: [{ zone: 'neck', depthMm: 'deep' }],
          passes: 1.5,
          numbingMinutes: 999,
        },
        (m) => logged.push(m),
        caller,
      );
      expect(reply.ok).toBe(false);
      if (reply.ok) return;
      expect(reply.error.issues?.map((i) => i.field)).toEqual([
        'zones.0.depthMm',
        'passes',
        'numbingMinutes',
      ]);
      expect(reply.error).toMatchObject({ code: 'invalid_input', field: 'zones.0.depthMm' });
      expect(reply.error.message).toBe(reply.error.issues?.[0]?.message);
      expect(clinic.services.sessions.list({ courseId: course.id })).toHaveLength(0);
      expect(logged).toEqual([]);
    } finally {
      clinic.close();
    }
  });
});
