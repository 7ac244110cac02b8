/**
 * `npm run bench:photos`: only the photo figures of `npm run bench` (one 12 MP import and the
 * batches of 20), against a small clinic, for working on the photo pipeline without the rest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { newDataKey } from '../electron/services/keySlots.js';
import { bulkLoadWithPractitioners } from './clinicFixture.js';
import { demoClinic } from '../electron/services/demo.js';
import { createServices } from '../electron/services/index.js';
import { createFigures } from './figures.js';
import { photoFigures } from './photos.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-bench-photos-'));
const bench = createFigures({ script: 'bench:photos', cores: os.availableParallelism() });
const db = openDatabase(dir, newDataKey());
try {
  bulkLoadWithPractitioners(
    db,
    demoClinic({
      clients: 20,
      coursesPerClient: [1, 1],
      sessionsPerCourse: [4, 4],
      plannedPerCourse: [4, 4],
      seed: 42,
    }),
  );
  await bench.step('photos', () => photoFigures(createServices(db), db, bench));
  bench.finish();
} finally {
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
}
