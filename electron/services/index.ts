import type { Db } from '../../db/connection.js';
import { AuditQuery } from '../../contract/schemas.js';
import { listAudit } from '../../db/audit.js';
import { adverseEventService } from './adverseEvents.js';
import { clientService } from './clients.js';
import type { ServiceContext } from './context.js';
import { courseService } from './courses.js';
import { draftService } from './drafts.js';
import { parseInput } from './errors.js';
import { practitionerService } from './practitioners.js';
import { sessionService } from './sessions.js';
import { settingsService } from './settings.js';
import type { z } from 'zod';

/** Every service over one open database. Plain Node: no Electron, no HTTP. */
export function createServices(db: Db, now: () => Date = () => new Date()) {
  const ctx: ServiceContext = { db, now };
  return {
    ctx,
    practitioners: practitionerService(ctx),
    clients: clientService(ctx),
    courses: courseService(ctx),
    sessions: sessionService(ctx),
    drafts: draftService(ctx),
    adverseEvents: adverseEventService(ctx),
    settings: settingsService(ctx),
    audit: {
      list(input: z.input<typeof AuditQuery>) {
        const q = parseInput(AuditQuery, input);
        return listAudit(db, q.entity, q.entityId);
      },
    },
  };
}

export type Services = ReturnType<typeof createServices>;
