import type { Db } from '../../db/connection.js';
import { AuditQuery } from '../../contract/schemas.js';
import { listAudit } from '../../db/audit.js';
import { adverseEventService } from './adverseEvents.js';
import { authService } from './auth.js';
import { clientService } from './clients.js';
import type { PhotoUrl, ServiceContext } from './context.js';
import { photoService } from './photos.js';
import { backupService } from './backups.js';
import path from 'node:path';
import { courseService } from './courses.js';
import { draftService } from './drafts.js';
import { lotService } from './lots.js';
import { parseInput } from './errors.js';
import { practitionerService } from './practitioners.js';
import { sessionService } from './sessions.js';
import { signingService } from './signing.js';
import { consentService } from './consents.js';
import { settingsService } from './settings.js';
import { overviewService } from './overview.js';
import { progressService } from './progress.js';
import { syncService } from './sync/index.js';
import { relayHereService } from './sync/relayHere.js';
import type { z } from 'zod';

/** Every service over one open database. Plain Node: no Electron, no HTTP. */
interface ServiceOptions {
  now?: () => Date;
  /** Defaults to the database file's folder. */
  dataDir?: string;
  /** Defaults to the Electron photo protocol; the browser host passes its signed route. */
  photoUrl?: PhotoUrl;
}

/** The photo protocol the Electron shell registers (`needlelog-photo://photo/<id>/<variant>`). */
const electronPhotoUrl: PhotoUrl = (id, variant) => `needlelog-photo://photo/${id}/${variant}`;

export function createServices(db: Db, options: ServiceOptions = {}) {
  const ctx: ServiceContext = {
    db,
    now: options.now ?? (() => new Date()),
    dataDir: options.dataDir ?? path.dirname(db.name),
    photoUrl: options.photoUrl ?? electronPhotoUrl,
    defaultActor: null,
  };
  const auth = authService(ctx);
  return {
    ctx,
    practitioners: practitionerService(ctx),
    auth,
    /** Acts as `practitionerId` outside any API call (the CLI after `--as`, tests). */
    actAs(practitionerId: string | null) {
      ctx.defaultActor = practitionerId;
    },
    clients: clientService(ctx),
    courses: courseService(ctx),
    sessions: sessionService(ctx),
    signing: signingService(ctx, auth.verify),
    consents: consentService(ctx),
    drafts: draftService(ctx),
    photos: photoService(ctx),
    backups: backupService(ctx),
    adverseEvents: adverseEventService(ctx),
    settings: settingsService(ctx),
    progress: progressService(ctx),
    overview: overviewService(ctx),
    lots: lotService(ctx),
    sync: syncService(ctx),
    relayHere: relayHereService(ctx),
    audit: {
      list(input: z.input<typeof AuditQuery>) {
        const q = parseInput(AuditQuery, input);
        return listAudit(db, q.entity, q.entityId);
      },
    },
  };
}

export type Services = ReturnType<typeof createServices>;
