/**
 * Which automatic backups to keep: the newest 3 of today, then the newest of each day for 14 days,
 * then the newest of each week for 8 weeks. Everything else may go. Pure, so it is easy to test.
 */
interface Dated {
  name: string;
  createdAt: Date;
}

const DAY = 86_400_000;

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function weekKey(d: Date): string {
  // Weeks start on Monday, counted from a fixed Monday so the key is stable.
  const monday = new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7));
  return dayKey(monday);
}

export function backupsToKeep(backups: readonly Dated[], now: Date): Set<string> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const keep = new Set<string>();
  const today = dayKey(now);
  const days = new Set<string>();
  const weeks = new Set<string>();
  let todayCount = 0;
  for (const b of newestFirst) {
    const age = now.getTime() - b.createdAt.getTime();
    if (dayKey(b.createdAt) === today || age < 0) {
      if (todayCount < 3) keep.add(b.name);
      todayCount++;
      continue;
    }
    if (age <= 14 * DAY) {
      const key = dayKey(b.createdAt);
      if (!days.has(key)) {
        days.add(key);
        keep.add(b.name);
      }
      continue;
    }
    if (age <= 8 * 7 * DAY) {
      const key = weekKey(b.createdAt);
      if (!weeks.has(key)) {
        weeks.add(key);
        keep.add(b.name);
      }
    }
  }
  return keep;
}
