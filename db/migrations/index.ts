import type Database from 'better-sqlite3-multiple-ciphers';
import m0001 from './0001-initial.js';
import m0002 from './0002-session-drafts.js';
import m0003 from './0003-photo-consent.js';
import m0004 from './0004-sign-in.js';
import m0005 from './0005-lot-recall.js';
import m0006 from './0006-overview-aggregates.js';
import m0007 from './0007-live-client-search.js';
import m0008 from './0008-overview-indexes.js';
import m0009 from './0009-photo-files.js';
import m0010 from './0010-signed-records.js';
import m0011 from './0011-sided-zones.js';
import m0012 from './0012-sync-messages.js';
import m0013 from './0013-consent-asked.js';
import m0014 from './0014-zone-passes.js';
import m0015 from './0015-overview-hours.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** In order. A new schema change is a new file here; a shipped migration is never edited. */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
];
