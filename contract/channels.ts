import { z } from 'zod';
import * as s from './schemas.js';
import * as progress from './progress.js';
import * as exportsContract from './exports.js';

const JobStarted = z.object({ jobId: z.string() });

/**
 * The whole API between the UI and the main side: channel → input and output schemas.
 * Both hosts register exactly these channels and validate with exactly these schemas.
 */
export const channels = {
  'practitioners.list': { input: s.Empty, output: z.array(s.Practitioner) },
  'practitioners.create': { input: s.PractitionerInput, output: s.Practitioner },
  'practitioners.update': { input: s.PractitionerUpdate, output: s.Practitioner },
  'practitioners.delete': { input: s.ById, output: s.Nothing },

  'clients.list': {
    input: s.ClientListQuery,
    output: z.object({ items: z.array(s.ClientListItem), total: z.number() }),
  },
  'clients.get': { input: s.ById, output: s.Client },
  'clients.create': { input: s.ClientInput, output: s.Client },
  'clients.update': { input: s.ClientUpdate, output: s.Client },
  'clients.delete': { input: s.ById, output: s.Nothing },
  'clients.restore': { input: s.ById, output: s.Client },

  'courses.list': { input: s.ByClient, output: z.array(s.Course) },
  'courses.get': { input: s.ById, output: s.Course },
  'courses.create': { input: s.CourseInput, output: s.Course },
  'courses.update': { input: s.CourseUpdate, output: s.Course },
  'courses.setStatus': { input: s.CourseStatusChange, output: s.Course },
  'courses.delete': { input: s.ById, output: s.Nothing },
  'courses.restore': { input: s.ById, output: s.Course },

  'sessions.list': { input: s.ByCourse, output: z.array(s.Session) },
  'sessions.get': { input: s.ById, output: s.Session },
  'sessions.create': { input: s.SessionCreate, output: s.Session },
  'sessions.update': { input: s.SessionUpdate, output: s.Session },
  'sessions.delete': { input: s.ById, output: s.Nothing },
  'sessions.restore': { input: s.ById, output: s.Session },

  /** The unfinished session form of a course, if any (autosaved while the practitioner types). */
  'drafts.get': { input: s.ByCourse, output: s.Draft.nullable() },
  'drafts.save': { input: s.DraftSave, output: s.Draft },
  'drafts.discard': { input: s.ByCourse, output: s.Nothing },

  /** Processes one photo file (orientation, sRGB, all metadata stripped) and files it under a session. */
  'photos.import': { input: s.PhotoImport, output: s.Photo },
  /**
   * Records the client's photo consent for a session when asked before a photo is added: a scope
   * (the session's photo consent), or that they declined (no photo can then be added).
   */
  'photos.consent': { input: s.PhotoConsentAnswer, output: s.Session },
  'photos.list': { input: s.ByCourse, output: z.array(s.Photo) },
  'photos.delete': { input: s.ById, output: s.Nothing },
  'photos.restore': { input: s.ById, output: s.Photo },

  'adverseEvents.list': { input: s.ByCourse, output: z.array(s.AdverseEvent) },
  'adverseEvents.create': { input: s.AdverseEventInput, output: s.AdverseEvent },
  'adverseEvents.update': { input: s.AdverseEventUpdate, output: s.AdverseEvent },
  'adverseEvents.delete': { input: s.ById, output: s.Nothing },
  'adverseEvents.restore': { input: s.ById, output: s.AdverseEvent },

  'settings.get': { input: s.Empty, output: s.Settings },
  'settings.update': { input: s.SettingsUpdate, output: s.Settings },

  'audit.list': { input: s.AuditQuery, output: z.array(s.AuditEntry) },

  /** Per-session figures of one course for its progress charts (SQL-derived intervals, late flags). */
  'courses.progress': { input: s.ByCourse, output: progress.CourseProgress },
  /** The clinic overview for managers: SQL aggregates over the filtered period. */
  'overview.get': { input: progress.OverviewFilters, output: progress.Overview },
  /** The clients and courses behind one figure of the overview. */
  'overview.clients': { input: progress.OverviewDrillQuery, output: progress.OverviewDrill },

  'backups.list': { input: s.Empty, output: z.array(s.BackupSummary) },
  /** A checked backup now, into the data directory's backups folder. */
  'backups.create': { input: s.Empty, output: s.BackupSummary },
  /** Replaces the clinic's records with a backup; the current state is backed up first. */
  'backups.restore': { input: s.BackupRestore, output: s.RecordCounts },
  /** A complete copy (database, photos, manifest) into a new folder on another drive; progress as events. */
  'backups.toFolder': { input: s.BackupToFolder, output: JobStarted },

  /** Fills an empty clinic with the demo data set; progress arrives as events. */
  'demo.load': { input: s.Empty, output: JobStarted },

  /** Exports a course, a client or the clinic (filtered) as CSV or an archive bundle; progress as events. */
  'exports.start': { input: exportsContract.ExportStart, output: JobStarted },
  /** The finished export of a job: its name and size, and how to get it (download or show in folder). */
  'exports.result': { input: exportsContract.ByJob, output: exportsContract.ExportResult },
  /** Electron: shows the finished export in the system's file manager. */
  'exports.reveal': { input: exportsContract.ByJob, output: s.Nothing },
  /** Verifies an archive bundle (manifest and checksums) and merges its records by id. */
  'exports.import': { input: exportsContract.BundleImport, output: exportsContract.ImportReport },
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = z.input<Channels[C]['input']>;
export type ChannelParsed<C extends Channel> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}
