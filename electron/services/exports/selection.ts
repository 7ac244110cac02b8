import { ExportSelection, type ExportSelectionData } from '../../../contract/exports.js';
import { getClient } from '../../../db/clients.js';
import { getCourse } from '../../../db/courses.js';
import {
  allPractitionerIds,
  childIdsOfSessions,
  idsByParent,
  relatedIds,
  scopeClientIds,
  scopeCourseIds,
  selectedSessionCount,
  selectedSessionIds,
  type SelectionParams,
} from '../../../db/exportQueries.js';
import { foldForSort } from '../../../db/text.js';
import { addDays, startOfLocalDay } from '../../../contract/format.js';
import type { ServiceContext } from '../context.js';
import { notFound, parseInput } from '../errors.js';

/** A selection checked and turned into the sessions it holds. */
export interface ResolvedSelection {
  selection: ExportSelectionData;
  params: SelectionParams;
  /**
   * The selected sessions, by session time: found on first use (a clinic-wide CSV never needs
   * them: at 100k clients they were 1.2M strings and a sort of them), then kept.
   */
  readonly sessionIds: string[];
  /** How many sessions the selection holds (counted on first use, unless the ids are known). */
  readonly sessionCount: number;
  /** What a person reads: "course Zoë Martin, lips / perioral". */
  description: string;
  /** A file name stem without extension, ASCII only. */
  fileStem: string;
}

/** The ids of every record a bundle of the selection carries, table by table. */
export interface SelectedRecords {
  practitioners: string[];
  clients: string[];
  courses: string[];
  sessions: string[];
  adverseEvents: string[];
  photos: string[];
  signatures: string[];
  addenda: string[];
  consentOverrides: string[];
  consents: string[];
}

const slug = (s: string) =>
  foldForSort(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'x';

/** A file-name-safe timestamp: 2026-03-31T14-30-00. */
export function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[:]/g, '-');
}

/**
 * Checks a selection (the course or client must exist, and be live unless deleted records are
 * asked for) and finds its sessions.
 */
export function resolveSelection(ctx: ServiceContext, input: unknown): ResolvedSelection {
  const selection = parseInput(ExportSelection, input === undefined ? {} : input);
  const params: SelectionParams = {
    courseId: selection.courseId,
    clientId: selection.clientId,
    fromAt: selection.from ? startOfLocalDay(selection.from) : null,
    toAt: selection.to ? startOfLocalDay(addDays(selection.to, 1)) : null,
    practitionerId: selection.practitionerId,
    area: selection.area,
    includeDeleted: selection.includeDeleted,
  };
  let description = 'the whole clinic';
  let stem = 'clinic';
  if (selection.courseId) {
    const course = getCourse(ctx.db, selection.courseId);
    const client = course && getClient(ctx.db, course.clientId);
    if (!course || !client || (!selection.includeDeleted && (course.deletedAt || client.deletedAt)))
      throw notFound('course');
    description = `the course of ${client.firstName} ${client.lastName} (${course.area}, started ${course.startedOn})`;
    stem = `course-${slug(`${client.lastName} ${client.firstName}`)}-${course.area}-${course.startedOn}`;
  } else if (selection.clientId) {
    const client = getClient(ctx.db, selection.clientId);
    if (!client || (!selection.includeDeleted && client.deletedAt)) throw notFound('client');
    description = `client ${client.firstName} ${client.lastName}`;
    stem = `client-${slug(`${client.lastName} ${client.firstName}`)}`;
  }
  const filters = [
    selection.from && `from ${selection.from}`,
    selection.to && `to ${selection.to}`,
    selection.practitionerId && 'one practitioner',
    selection.area && `area ${selection.area}`,
  ].filter(Boolean);
  if (filters.length) description += ` (${filters.join(', ')})`;
  let ids: string[] | null = null;
  let count: number | null = null;
  return {
    selection,
    params,
    get sessionIds() {
      return (ids ??= selectedSessionIds(ctx.db, params));
    },
    get sessionCount() {
      return ids ? ids.length : (count ??= selectedSessionCount(ctx.db, params));
    },
    description,
    fileStem: `needlelog-${stem}-${stamp(ctx.now())}`,
  };
}

/**
 * Everything the bundle of a selection carries: the selected sessions with their adverse events and
 * photos, and the courses, clients and practitioners they refer to. With no period or practitioner
 * filter the scope's courses without sessions come too, and a whole-clinic or client export without
 * filters carries every client (and, clinic-wide, every practitioner) of the scope.
 */
export function selectedRecords(ctx: ServiceContext, r: ResolvedSelection): SelectedRecords {
  const { db } = ctx;
  const p = r.params;
  const sessionFilter = p.fromAt !== null || p.toAt !== null || p.practitionerId !== null;
  const sessions = r.sessionIds;
  const courses = new Set(relatedIds(db, 'sessions', 'course_id', 'id', sessions));
  if (!sessionFilter) scopeCourseIds(db, p).forEach((id) => courses.add(id));
  const courseList = [...courses].sort();
  const clients = new Set(relatedIds(db, 'courses', 'client_id', 'id', courseList));
  if (!sessionFilter && !p.area && !p.courseId) scopeClientIds(db, p).forEach((id) => clients.add(id));
  const practitioners = new Set(relatedIds(db, 'sessions', 'practitioner_id', 'id', sessions));
  if (!sessionFilter && !p.area && !p.courseId && !p.clientId) {
    allPractitionerIds(db, p.includeDeleted).forEach((id) => practitioners.add(id));
  }
  const signatures = idsByParent(db, 'session_signatures', 'session_id', sessions);
  const addenda = idsByParent(db, 'session_addenda', 'session_id', sessions);
  const consentOverrides = idsByParent(db, 'consent_overrides', 'session_id', sessions);
  const consents = idsByParent(db, 'course_consents', 'course_id', courseList);
  // Whoever signed, co-signed, corrected or took consent comes too, so every signature has its name.
  for (const [table, column] of [
    ['session_signatures', 'practitioner_id'],
    ['session_addenda', 'author_id'],
    ['course_consents', 'practitioner_id'],
  ] as const) {
    const ids = { session_signatures: signatures, session_addenda: addenda, course_consents: consents }[
      table
    ];
    relatedIds(db, table, column, 'id', ids).forEach((id) => practitioners.add(id));
  }
  relatedIds(db, 'consent_overrides', 'actor_id', 'id', consentOverrides)
    .filter((id) => id !== null)
    .forEach((id) => practitioners.add(id));
  return {
    practitioners: [...practitioners].sort(),
    clients: [...clients].sort(),
    courses: courseList,
    sessions,
    adverseEvents: childIdsOfSessions(db, 'adverse_events', sessions, p.includeDeleted),
    photos: childIdsOfSessions(db, 'photos', sessions, p.includeDeleted),
    signatures,
    addenda,
    consentOverrides,
    consents,
  };
}
