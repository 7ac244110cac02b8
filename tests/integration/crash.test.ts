import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashTest, type CrashTestResult } from '../crash/crashTest.js';
import { tempDir } from '../support/clinic.js';

// The by-hand run uses a large count: `npx tsx tests/crash/crashTest.ts --kills 200`.
const KILLS = 10;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('crash test: SIGKILL at random moments', () => {
  it(`loses no acknowledged session or photo over ${KILLS} kills of a writing child`, async () => {
    const dataDir = tempDir('needlelog-crash-');
    dirs.push(dataDir);
    const lines: string[] = [];
    let result: CrashTestResult;
    try {
      result = await runCrashTest({ kills: KILLS, dataDir, log: (l) => lines.push(l) });
    } catch (err) {
      // Keep the evidence: the message names the data dir and every problem found.
      dirs.pop();
      throw err;
    }
    console.log(result.summary);
    expect(result.kills).toBe(KILLS);
    expect(result.lost).toBe(0);
    // The kills must land mid-stream, not only before anything was written.
    expect(result.acknowledged.sessions).toBeGreaterThan(0);
    expect(result.acknowledged.photos).toBeGreaterThan(0);
    expect(result.verified).toBe(result.acknowledged.sessions + result.acknowledged.photos);
    expect(lines).toHaveLength(KILLS);
  }, 240_000); // each child also starts a photo worker thread before its first write
});
