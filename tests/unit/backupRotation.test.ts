import { describe, expect, it } from 'vitest';
import { backupsToKeep } from '../../electron/services/backupRotation.js';

const at = (iso: string) => ({ name: iso, createdAt: new Date(iso) });

describe('backup rotation', () => {
  const now = new Date('2026-11-24T18:00:00');

  it('keeps the newest three of today', () => {
    const today = ['09:00', '11:00', '13:00', '15:00', '17:00'].map((t) => at(`2026-11-24T${t}:00`));
    expect([...backupsToKeep(today, now)].sort()).toEqual([
      '2026-11-24T13:00:00',
      '2026-11-24T15:00:00',
      '2026-11-24T17:00:00',
    ]);
  });

  it('keeps the newest of each of the last 14 days, then one a week for 8 weeks, then none', () => {
    const backups = [];
    for (let d = 1; d <= 80; d++) {
      for (const hour of [9, 18]) {
        const t = new Date(now);
        t.setDate(t.getDate() - d);
        t.setHours(hour, 0, 0, 0);
        backups.push({ name: t.toISOString(), createdAt: t });
      }
    }
    const keep = backupsToKeep(backups, now);
    const kept = backups.filter((b) => keep.has(b.name));
    const daily = kept.filter((b) => now.getTime() - b.createdAt.getTime() <= 14 * 86_400_000);
    expect(daily).toHaveLength(14);
    expect(daily.every((b) => b.createdAt.getHours() === 18)).toBe(true); // the newest of its day
    const weekly = kept.filter((b) => now.getTime() - b.createdAt.getTime() > 14 * 86_400_000);
    expect(weekly.length).toBeGreaterThanOrEqual(6);
    expect(weekly.length).toBeLessThanOrEqual(8);
    expect(kept.every((b) => now.getTime() - b.createdAt.getTime() <= 56 * 86_400_000)).toBe(true);
  });

  it('keeps nothing it was not given, and an empty list stays empty', () => {
    expect(backupsToKeep([], now).size).toBe(0);
  });
});
