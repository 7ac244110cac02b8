import { z } from 'zod';
import * as s from './schemas.js';
import * as progress from './progress.js';
import * as exportsContract from './exports.js';
import * as auth from './auth.js';
import * as lots from './lots.js';
import { securityChannels } from './security.js';
import * as signing from './signing.js';
import { RelayCode, RelayHere, RelayRevoke, RelayStart, SyncPair, SyncStatus } from './sync.js';

const JobStarted = z.object({ jobId: z.string() });

/**
 * The whole API between the UI and the main side: channel → input and output schemas.
 * Both hosts register exactly these channels and validate with exactly these schemas.
 */
export const channels = {
  /** Who is signed in, and the names the sign-in screen lists (no client data). */
  'auth.status': { input: s.Empty, output: auth.AuthStatus },
  /** First run: the clinic's name and its first practitioner (a manager, with a PIN); signs them in. */
  'auth.setup': { input: auth.Setup, output: auth.AuthStatus },
  'auth.signIn': { input: auth.SignIn, output: auth.AuthStatus },
  /** First sign-in of someone without a PIN yet: sets it and signs them in. */
  'auth.setPin': { input: auth.SetOwnPin, output: auth.AuthStatus },
  'auth.signOut': { input: s.Empty, output: auth.AuthStatus },
  'auth.lock': { input: s.Empty, output: auth.AuthStatus },
  /** Only the practitioner whose session is locked can unlock it. */
  'auth.unlock': { input: auth.Unlock, output: auth.AuthStatus },
  'auth.changePin': { input: auth.ChangePin, output: s.Nothing },
  /** A manager sets a new PIN for another practitioner. */
  'auth.resetPin': { input: auth.ResetPin, output: s.Nothing },
  /** Settings → Activity log: record changes, sign-ins, exports and photo views, filtered. */
  'activity.list': { input: auth.ActivityQuery, output: auth.ActivityPage },

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

  /** Signatures and addenda of one session; of every session of a course. */
  'signing.get': { input: s.ById, output: signing.SessionSigning },
  'signing.ofCourse': { input: s.ByCourse, output: z.array(signing.SessionSigning) },
  /** "Sign session": the practitioner who performed it, with their PIN; locks the record. */
  'signing.sign': { input: signing.SignSession, output: signing.SessionSigning },
  /** A manager's co-signature (medical director), after the practitioner's own, with their PIN. */
  'signing.cosign': { input: signing.SignSession, output: signing.SessionSigning },
  /** A correction of a signed session: an addendum with the reason, what changed and who. */
  'signing.amend': { input: signing.AmendSession, output: s.Session },
  /** The signed-in practitioner's sessions still unsigned after the clinic's reminder age. */
  'signing.unsigned': { input: s.Empty, output: signing.UnsignedList },
  /** A course's signed consent forms, newest first. */
  'consents.ofCourse': { input: s.ByCourse, output: z.array(signing.CourseConsent) },
  /** The client and the practitioner sign the clinic's current consent form for a course. */
  'consents.sign': { input: signing.ConsentSign, output: signing.CourseConsent },

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

  /** Lots entered before, most recently used first (optionally of one kind, starting with a prefix). */
  'lots.recent': { input: lots.RecentLotsQuery, output: z.array(lots.RecentLot) },
  /** Every session and client that used a lot (cartridge, numbing agent or glide), with contacts. */
  'lots.recall': { input: lots.LotRecallQuery, output: lots.LotRecall },
  /** The recall's list as CSV under exports/, as an export job (then exports.result / exports.reveal). */
  'lots.exportRecall': { input: lots.LotRecallQuery, output: JobStarted },

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

  ...securityChannels,
  /** Where this room stands with the clinic's relay (the header's badge). */
  'sync.status': { input: s.Empty, output: SyncStatus },
  /** One sync round now (the background one runs every few seconds while paired). */
  'sync.now': { input: s.Empty, output: SyncStatus },
  /** Pairs this room with the clinic's relay (one-time code; pins the relay's certificate). */
  'sync.pair': { input: SyncPair, output: SyncStatus },
  /** The clinic's relay when it runs on this computer: address, certificate, the rooms paired. */
  'sync.relay': { input: s.Empty, output: RelayHere },
  /** Runs the clinic's relay on this computer (and pairs this room with it). */
  'sync.relayStart': { input: RelayStart, output: RelayHere },
  'sync.relayStop': { input: s.Empty, output: RelayHere },
  /** A fresh one-time pairing code for another room. */
  'sync.relayCode': { input: s.Empty, output: RelayCode },
  /** Revokes a room's credential at once. */
  'sync.relayRevoke': { input: RelayRevoke, output: RelayHere },
} as const;

export type Channels = typeof channels;

/**
 * Who may call each channel: the one place access is declared, checked by `dispatch` before any
 * handler runs. A new channel must be listed here (the type demands it).
 * - public: no one needs to be signed in (the sign-in screen's few channels);
 * - firstRun: public while the clinic has no practitioner at all, else a manager's;
 * - signedIn: any signed-in practitioner whose session is not locked;
 * - manager: a signed-in manager (others get a 403 saying a manager must do it).
 */
export type Access = 'public' | 'firstRun' | 'signedIn' | 'manager';

export const channelAccess: { readonly [C in keyof typeof channels]: Access } = {
  'auth.status': 'public',
  'auth.setup': 'firstRun',
  'auth.signIn': 'public',
  'auth.setPin': 'public',
  'auth.signOut': 'public',
  'auth.lock': 'public',
  'auth.unlock': 'public',
  'auth.changePin': 'signedIn',
  'auth.resetPin': 'manager',
  'activity.list': 'manager',

  'practitioners.list': 'signedIn',
  'practitioners.create': 'manager',
  'practitioners.update': 'manager',
  'practitioners.delete': 'manager',

  'clients.list': 'signedIn',
  'clients.get': 'signedIn',
  'clients.create': 'signedIn',
  'clients.update': 'signedIn',
  'clients.delete': 'signedIn',
  'clients.restore': 'signedIn',

  'courses.list': 'signedIn',
  'courses.get': 'signedIn',
  'courses.create': 'signedIn',
  'courses.update': 'signedIn',
  'courses.setStatus': 'signedIn',
  'courses.delete': 'signedIn',
  'courses.restore': 'signedIn',

  'sessions.list': 'signedIn',
  'sessions.get': 'signedIn',
  'sessions.create': 'signedIn',
  'sessions.update': 'signedIn',
  'sessions.delete': 'signedIn',
  'sessions.restore': 'signedIn',

  'signing.get': 'signedIn',
  'signing.ofCourse': 'signedIn',
  'signing.sign': 'signedIn',
  'signing.cosign': 'manager',
  'signing.amend': 'signedIn',
  'signing.unsigned': 'signedIn',
  'consents.ofCourse': 'signedIn',
  'consents.sign': 'signedIn',

  'drafts.get': 'signedIn',
  'drafts.save': 'signedIn',
  'drafts.discard': 'signedIn',

  'photos.import': 'signedIn',
  'photos.list': 'signedIn',
  'photos.consent': 'signedIn',
  'photos.delete': 'signedIn',
  'photos.restore': 'signedIn',

  'adverseEvents.list': 'signedIn',
  'adverseEvents.create': 'signedIn',
  'adverseEvents.update': 'signedIn',
  'adverseEvents.delete': 'signedIn',
  'adverseEvents.restore': 'signedIn',

  'settings.get': 'signedIn',
  'settings.update': 'manager',

  'audit.list': 'signedIn',

  // A recall is a clinical-safety action: every practitioner may trace a lot, not only managers.
  'lots.recent': 'signedIn',
  'lots.recall': 'signedIn',
  'lots.exportRecall': 'signedIn',

  'courses.progress': 'signedIn',
  'overview.get': 'manager',
  'overview.clients': 'manager',

  'backups.list': 'manager',
  'backups.create': 'manager',
  'backups.restore': 'manager',
  'backups.toFolder': 'manager',

  'demo.load': 'firstRun',

  // One course or client: any practitioner; clinic-wide (no course, no client): the service asks for a manager.
  'exports.start': 'signedIn',
  'exports.result': 'signedIn',
  'exports.reveal': 'signedIn',
  'exports.import': 'manager',

  // Unlocking comes before signing in: until the clinic is open there is nobody to sign in as.
  // clinic.encrypt too: a clinic made before encryption is encrypted before it opens at all.
  'clinic.status': 'public',
  'clinic.setup': 'public',
  'clinic.unlock': 'public',
  'clinic.encrypt': 'public',
  'security.get': 'manager',
  'security.changePassphrase': 'manager',
  'security.newRecoveryKey': 'manager',
  'sync.status': 'signedIn',
  'sync.now': 'signedIn',
  'sync.pair': 'manager',
  'sync.relay': 'manager',
  'sync.relayStart': 'manager',
  'sync.relayStop': 'manager',
  'sync.relayCode': 'manager',
  'sync.relayRevoke': 'manager',
};
export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = z.input<Channels[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Channels[C]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}
