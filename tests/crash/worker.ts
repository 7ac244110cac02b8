/**
 * The child of the crash test (tests/crash/crashTest.ts): opens a clinic's data directory and
 * writes to it through the real services as fast as it can, until it is killed with SIGKILL.
 *
 *   node --import tsx tests/crash/worker.ts <dataDir> <courseId> <practitionerId>
 *
 * After each write the service has acknowledged (its transaction committed), it prints one line,
 * synchronously, so the parent never sees an acknowledgement the child had not received:
 *   ACK session <id> <zone>=<depthMm>,<zone>=<depthMm>
 *   ACK photo <id> <sha256>
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { openDatabase } from '../../db/connection.js';
import { createServices } from '../../electron/services/index.js';
import { processPhoto } from '../../electron/services/photoWorkers.js';
import { testKeyFor } from '../support/clinic.js';
import { ZONE_KEYS } from '../../contract/domain.js';

/** A photo every this many writes; sessions otherwise. */
export const PHOTO_EVERY = 4;

function say(line: string): void {
  fs.writeSync(1, `${line}\n`);
}

/** A small JPEG of random noise: every one has different bytes, so every import stores new files. */
async function noiseJpeg(): Promise<Buffer> {
  const w = 48;
  const h = 32;
  return sharp(crypto.randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** Two distinct zones and depths (0.1–3.0 mm, two decimals) that vary from one session to the next. */
function twoZones(): { zone: (typeof ZONE_KEYS)[number]; depthMm: number }[] {
  const a = crypto.randomInt(ZONE_KEYS.length);
  const b = (a + 1 + crypto.randomInt(ZONE_KEYS.length - 1)) % ZONE_KEYS.length;
  const depth = () => (10 + crypto.randomInt(291)) / 100;
  return [
    { zone: ZONE_KEYS[a] as (typeof ZONE_KEYS)[number], depthMm: depth() },
    { zone: ZONE_KEYS[b] as (typeof ZONE_KEYS)[number], depthMm: depth() },
  ];
}

async function main(): Promise<void> {
  const [dataDir, courseId, practitionerId] = process.argv.slice(2);
  if (!dataDir || !courseId || !practitionerId) {
    throw new Error('usage: worker.ts <dataDir> <courseId> <practitionerId>');
  }
  const db = openDatabase(dataDir, testKeyFor(dataDir));
  const services = createServices(db, { dataDir });
  // The photo worker thread starts on first use (seconds from sources on a loaded machine): start
  // it before the first write, so kills land among acknowledged photos, not only before them.
  await processPhoto(await noiseJpeg());
  say('READY');

  let lastSession: string | null = null;
  for (let i = 0; ; i++) {
    if (lastSession && i % PHOTO_EVERY === PHOTO_EVERY - 1) {
      const photo = await services.photos.import({
        sessionId: lastSession,
        kind: 'before',
        view: 'frontal',
        data: await noiseJpeg(),
      });
      say(`ACK photo ${photo.id} ${photo.sha256}`);
    } else {
      const zones = twoZones();
      // Spread over the years so the course's ordering queries see varied times.
      const performedAt = new Date(Date.UTC(2020, 0, 1) + crypto.randomInt(5 * 365 * 24 * 60) * 60_000);
      const { value } = services.sessions.create({
        courseId,
        practitionerId,
        performedAt: performedAt.toISOString(),
        zones,
        notes: `crash test write ${i}`,
        photoConsent: 'record',
      });
      say(`ACK session ${value.id} ${value.zones.map((z) => `${z.zone}=${z.depthMm}`).join(',')}`);
      lastSession = value.id;
    }
  }
}

main().catch((err: unknown) => {
  fs.writeSync(
    2,
    `crash worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
