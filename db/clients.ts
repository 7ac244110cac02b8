import type { Client, ClientListItem } from '../contract/schemas.js';
import type { Db } from './connection.js';
import { stmt } from './statements.js';
import { foldForSort, ftsPrefixQuery } from './text.js';

interface ClientRow extends Omit<Client, 'contraindications'> {
  contraindications: string;
}

const COLUMNS = `id, first_name AS firstName, last_name AS lastName, date_of_birth AS dateOfBirth,
  phone, email, fitzpatrick, contraindications, contraindication_notes AS contraindicationNotes, notes,
  created_at AS createdAt, updated_at AS updatedAt, deleted_at AS deletedAt`;

function fromRow(row: ClientRow): Client {
  return { ...row, contraindications: JSON.parse(row.contraindications) as Client['contraindications'] };
}

export function getClient(db: Db, id: string): Client | undefined {
  const row = stmt(db, `SELECT ${COLUMNS} FROM clients WHERE id = ?`).get(id) as ClientRow | undefined;
  return row && fromRow(row);
}

function toParams(c: Client) {
  return {
    ...c,
    contraindications: JSON.stringify(c.contraindications),
    sortName: foldForSort(`${c.lastName} ${c.firstName}`),
  };
}

export function insertClient(db: Db, c: Client): void {
  stmt(
    db,
    `INSERT INTO clients (id, first_name, last_name, sort_name, date_of_birth, phone, email, fitzpatrick,
       contraindications, contraindication_notes, notes, created_at, updated_at, deleted_at)
     VALUES (@id, @firstName, @lastName, @sortName, @dateOfBirth, @phone, @email, @fitzpatrick,
       @contraindications, @contraindicationNotes, @notes, @createdAt, @updatedAt, @deletedAt)`,
  ).run(toParams(c));
}

export function updateClient(db: Db, c: Client): void {
  stmt(
    db,
    `UPDATE clients SET first_name = @firstName, last_name = @lastName, sort_name = @sortName,
       date_of_birth = @dateOfBirth, phone = @phone, email = @email, fitzpatrick = @fitzpatrick,
       contraindications = @contraindications, contraindication_notes = @contraindicationNotes,
       notes = @notes, updated_at = @updatedAt, deleted_at = @deletedAt
     WHERE id = @id`,
  ).run(toParams(c));
}

const CLIENT_ITEM = `c.id, c.first_name AS firstName, c.last_name AS lastName, c.date_of_birth AS dateOfBirth,
  c.fitzpatrick, json_array_length(c.contraindications) > 0 AS hasContraindications`;

// The deleted list's per-client figures come from correlated sub-queries on indexed columns, so a
// page of 100 clients costs 100 small index look-ups whatever the size of the clinic.
const LIST_ITEM = `${CLIENT_ITEM},
  (SELECT count(*) FROM courses k WHERE k.client_id = c.id AND k.deleted_at IS NULL AND k.status = 'active')
    AS activeCourses,
  (SELECT max(s.performed_at) FROM courses k JOIN sessions s ON s.course_id = k.id AND s.deleted_at IS NULL
    WHERE k.client_id = c.id AND k.deleted_at IS NULL) AS lastSessionAt`;

interface ListRow extends Omit<ClientListItem, 'hasContraindications'> {
  hasContraindications: number;
}

function listItems(rows: ListRow[]): ClientListItem[] {
  return rows.map((r) => ({ ...r, hasContraindications: r.hasContraindications === 1 }));
}

export interface ClientPage {
  items: ClientListItem[];
  total: number;
}

export function listClients(
  db: Db,
  opts: { query: string; limit: number; offset: number; deleted: boolean },
): ClientPage {
  const match = ftsPrefixQuery(opts.query);
  if (opts.deleted) return listDeleted(db, match, opts);
  // Live clients: counted and paged from live_clients and its search index (migration 0007), so
  // only the page's own clients are read.
  const { n } = (
    match === null
      ? stmt(db, `SELECT count(*) AS n FROM live_clients`).get()
      : stmt(db, `SELECT count(*) AS n FROM live_clients_search WHERE live_clients_search MATCH ?`).get(match)
  ) as { n: number };
  const page =
    match === null
      ? `SELECT m.client_id, m.sort_name FROM live_clients m ORDER BY m.sort_name, m.client_id LIMIT @limit OFFSET @offset`
      : `SELECT m.client_id, m.sort_name FROM live_clients_search f JOIN live_clients m ON m.n = f.rowid
         WHERE live_clients_search MATCH @match ORDER BY m.sort_name, m.client_id LIMIT @limit OFFSET @offset`;
  // A live client's courses are live in course_stats (migration 0006) when not deleted: one look-up
  // per client gives both figures.
  const rows = stmt(
    db,
    `SELECT ${CLIENT_ITEM}, count(CASE WHEN st.status = 'active' THEN 1 END) AS activeCourses,
       max(st.last_at) AS lastSessionAt
     FROM (${page}) page JOIN clients c ON c.id = page.client_id
       LEFT JOIN course_stats st ON st.client_id = c.id AND st.live
     GROUP BY page.sort_name, page.client_id ORDER BY page.sort_name, page.client_id`,
  ).all({ match, limit: opts.limit, offset: opts.offset }) as ListRow[];
  return { items: listItems(rows), total: n };
}

/** Deleted clients (a short list): the search index of every client, joined to the deleted ones. */
function listDeleted(db: Db, match: string | null, opts: { limit: number; offset: number }): ClientPage {
  const filter = 'c.deleted_at IS NOT NULL';
  if (match === null) {
    const { n } = stmt(db, `SELECT count(*) AS n FROM clients c WHERE ${filter}`).get() as { n: number };
    const rows = stmt(
      db,
      `SELECT ${LIST_ITEM} FROM clients c WHERE ${filter} ORDER BY c.sort_name, c.id LIMIT ? OFFSET ?`,
    ).all(opts.limit, opts.offset) as ListRow[];
    return { items: listItems(rows), total: n };
  }
  const from = `FROM clients_search f JOIN clients c ON c.id = f.client_id WHERE clients_search MATCH ? AND ${filter}`;
  const { n } = stmt(db, `SELECT count(*) AS n ${from}`).get(match) as { n: number };
  // The page is picked first and only its clients get their figures: a sort holds every column of
  // every match, so the per-client sub-queries would otherwise run for all of them.
  const rows = stmt(
    db,
    `SELECT ${LIST_ITEM} FROM (SELECT c.id AS pageId ${from} ORDER BY c.sort_name, c.id LIMIT ? OFFSET ?) page
     JOIN clients c ON c.id = page.pageId ORDER BY c.sort_name, c.id`,
  ).all(match, opts.limit, opts.offset) as ListRow[];
  return { items: listItems(rows), total: n };
}
