/**
 * Fuzzed boundaries: thousands of random and adversarial requests to EVERY contract channel through
 * the real browser host over real HTTP on loopback. The channel list is read at run time, so
 * channels added to the contract later are fuzzed too, with inputs derived from their schemas.
 *
 * Property: each reply is a 2xx `{ ok: true, value }` whose value matches the channel's output
 * schema, or a 4xx `{ ok: false, error: { code, message } }` with a known code and a message; never a
 * 5xx. The host keeps answering, the database stays consistent, and nothing reaches Object.prototype.
 *
 * FUZZ_SCALE=5 npx vitest run tests/integration/fuzz.test.ts   runs five times as many cases.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channelAccess, channels, type Channel } from '../../contract/channels.js';
import { ERROR_CODES } from '../../contract/result.js';
import { TEST_PIN } from '../support/signIn.js';
import { openDatabase, closeDatabase } from '../../db/connection.js';
import { BUNDLE_TABLES } from '../../db/exportQueries.js';
import type { BrowserHost } from '../../electron/host/browserHost.js';
import { startTestHost } from '../support/host.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import { createServices } from '../../electron/services/index.js';
import { photoStore } from '../../electron/services/photoStore.js';
import { REFUSED_RECORD_EDITS, editedBundle, openedZip, sealedZip } from '../support/bundles.js';
import { plainJpeg } from '../support/images.js';
import { TEST_PASSPHRASE, TEST_SCRYPT, tempDir, testKeyFor } from '../support/clinic.js';
import { signConsent, strokes } from '../support/signatures.js';

const SCALE = Math.max(0.1, Number(process.env.FUZZ_SCALE ?? 1));
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
/** Cases per channel and kind of input. */
const RUNS = { json: runs(60), shaped: runs(200), raw: runs(30) };

/**
 * Channels whose valid input starts something we must not start from a fuzzer (a background demo
 * load, a restore, a copy of the clinic to some folder on this machine): they get only inputs their
 * schema rejects, checked here before sending.
 */
const INVALID_ONLY = new Set<string>([
  'demo.load',
  'backups.restore',
  'backups.toFolder',
  // Valid input here would change who is signed in, or the PINs, under the rest of the run.
  'auth.setup',
  'auth.signIn',
  'auth.setPin',
  'auth.signOut',
  'auth.lock',
  'auth.unlock',
  'auth.changePin',
  'auth.resetPin',
  // Valid input could demote the signed-in manager, and every manager channel after it would 403.
  'practitioners.update',
  // Valid input starts a sync round with the clinic's relay (a network action).
  'sync.now',
  'sync.pair',
  // Valid input starts (or stops) a relay listening on this computer's network.
  'sync.relayStart',
  'sync.relayStop',
]);
/** Channels whose input rides as a raw body plus the X-NeedleLog-Input header. */
const BINARY = new Set<string>(['photos.import']);

// ---------- HTTP ----------

interface Reply {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function post(
  host: BrowserHost,
  channel: string,
  body: string | Buffer,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: 'POST',
        path: `/api/${channel}`,
        agent,
        headers: {
          Authorization: `Bearer ${host.secret}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---------- JSON text we control exactly ----------

/** A piece of JSON text sent as is: 1e309, -0, raw \ud800 escapes, deep nesting. */
class Raw {
  constructor(readonly text: string) {}
  toString() {
    return `Raw(${this.text.length > 60 ? `${this.text.slice(0, 60)}…` : this.text})`;
  }
}

/** Serialises like JSON.stringify, but writes Raw pieces verbatim and own `__proto__` keys as keys. */
function jsonText(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => jsonText(x === undefined ? null : x)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${jsonText((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** An object with the given own keys, `__proto__` included as an ordinary own key. */
function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true });
  return o;
}

// ---------- adversarial values ----------

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const;
const pollutionPayload = () =>
  ownObject([
    ['polluted', 'yes'],
    ['isAdmin', true],
    ['toString', 'hijacked'],
    ['prototype', ownObject([['polluted', 'yes']])],
  ]);

const nested = (depth: number, open: string, close: string, leaf = '1') =>
  new Raw(open.repeat(depth) + leaf + close.repeat(depth));

const unicodeEdge = fc.constantFrom(
  new Raw('"\\ud800"'),
  new Raw('"\\udfff"'),
  new Raw('"a\\ud800b\\udc00c"'),
  new Raw('"\\udc00\\ud800"'),
  '\u0000',
  'Ali\u0000ce',
  '\u200f\u202eevil\u202c',
  '\u202e',
  '\ufeffBOM',
  '\u2028\u2029',
  '😀🧑🏽‍⚕️👩‍👩‍👧',
  'e\u0301\u0301\u0301\u0301',
  'Z̴̡̢͇̏̓͝a̸͚͕̓l̶g̷o̸',
  '\uffff\ufffe',
  'ＡＢＣ',
  "Robert'); DROP TABLE clients;--",
  '%00%2e%2e%2f',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
);

const hugeNumber = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_VALUE,
    4294967296,
    -2147483649,
    0.1 + 0.2,
    1.005,
    -1,
  ),
  fc.constantFrom(
    new Raw('1e309'),
    new Raw('-1e309'),
    new Raw('-0'),
    new Raw('-0.0'),
    new Raw('1E400'),
    new Raw('1e-400'),
    new Raw('123456789012345678901234567890'),
    new Raw('0.1e1'),
  ),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1_000', ' 1 '),
  fc.double().map((d) => (Number.isFinite(d) ? d : new Raw(String(d)))),
  fc.integer(),
);

const oversized = fc.oneof(
  fc.constantFrom(201, 256, 5001, 20_001, 200_000).map((n) => 'a'.repeat(n)),
  fc.constantFrom(100, 50_000).map((n) => '😀'.repeat(n)),
  fc.constant('\u0000'.repeat(5_000)),
  fc.constant('e\u0301'.repeat(40_000)),
  fc.constant(new Raw(`"${'\\ud800'.repeat(20_000)}"`)),
);

const deep = fc.oneof(
  fc.constantFrom(64, 1_000, 10_000, 100_000).map((d) => nested(d, '[', ']')),
  fc.constantFrom(64, 1_000, 10_000, 50_000).map((d) => nested(d, '{"a":', '}')),
  fc.constantFrom(64, 5_000).map((d) => nested(d, '{"__proto__":', '}', '{"polluted":"yes"}')),
);

const pollution = fc.constantFrom(...POLLUTION_KEYS).map((k) => ownObject([[k, pollutionPayload()]]));

const wrongType = fc.constantFrom(null, true, false, 0, 1, '', ' ', 'x', [], {}, [null], [[]], { id: null });

const lookalikes = fc.constantFrom(
  '2026-02-30',
  '0000-00-00',
  '2026-13-01',
  '99999-01-01',
  '2026-03-31T25:00:00Z',
  '2026-03-31T14:30:00+99:00',
  '1899-12-31T23:59:59Z',
  '2200-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '01890a5d-ac96-774b-bcce-b302099a8057',
  '01890A5D-AC96-774B-BCCE-B302099A8057',
  ' 01890a5d-ac96-774b-bcce-b302099a8057',
  'needlelog-2026-01-01T00-00-00-000Z-manual.sqlite',
  'needlelog-../../x-manual.sqlite',
  'relative/folder',
  'C:',
);

const adversarial: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: wrongType, weight: 3 },
  { arbitrary: hugeNumber, weight: 3 },
  { arbitrary: unicodeEdge, weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: oversized, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: pollution, weight: 2 },
  { arbitrary: lookalikes, weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

// ---------- inputs shaped like a channel's schema ----------

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
};

/** Ids of records the fuzzer has seen (seeded, and every id in any successful reply), all together… */
const knownIds: string[] = [];
/** …and by the field they belong in: `sessionId` holds session ids, whichever reply named them. */
const idPools = new Map<string, string[]>();

/** `sessions.create` → `sessionId`: the pool a bare `id` of that channel's records belongs to. */
function entityIdField(channel: string): string {
  const entity = channel.split('.')[0] ?? '';
  return `${entity.endsWith('s') ? entity.slice(0, -1) : entity}Id`;
}

function pick(pool: readonly string[] | undefined, i: number): string {
  return pool && pool.length > 0 ? (pool[i % pool.length] as string) : '00000000-0000-0000-0000-000000000000';
}

/** A record id for the field `field`: mostly a real one of the right kind, sometimes any, sometimes new. */
function idArb(field: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.nat().map((i) => pick(idPools.get(field), i)), weight: 6 },
    { arbitrary: fc.nat().map((i) => pick(knownIds, i)), weight: 2 },
    { arbitrary: fc.uuid({ version: 7 }), weight: 1 },
  );
}
const realDate = fc
  .date({ min: new Date('1920-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());

/** A value meant to satisfy the schema (it may not: the fuzzer does not chase every refinement). */
function fromSchema(schema: JsonSchema, name: string, idField: string, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 4 || schema.$ref) return fc.jsonValue({ maxDepth: 2 });
  if (schema.anyOf ?? schema.oneOf) {
    return fc.oneof(
      ...(schema.anyOf ?? schema.oneOf ?? []).map((s) => fromSchema(s, name, idField, depth + 1)),
    );
  }
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return idArb(name === 'id' ? idField : name);
      if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return realDate.map((s) => s.slice(0, 10));
      if (/At$/.test(name)) return realDate;
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(
        schema.items ? fromSchema(schema.items, name, idField, depth + 1) : fc.jsonValue({ maxDepth: 1 }),
        {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        },
      );
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(props).map(([key, s]) => {
        const arb = fromSchema(s, key, idField, depth + 1);
        // Optional fields: present or left out (undefined is dropped when serialised).
        return [key, required.has(key) ? arb : fc.option(arb, { nil: undefined, freq: 3 })] as const;
      });
      const fixed = fc.record(Object.fromEntries(entries)) as fc.Arbitrary<Record<string, unknown>>;
      const extra = schema.additionalProperties;
      if (extra && typeof extra === 'object' && schema.propertyNames?.enum) {
        const keys = schema.propertyNames.enum as string[];
        return fc
          .tuple(
            fixed,
            fc.dictionary(fc.constantFrom(...keys), fromSchema(extra, name, idField, depth + 1), {
              maxKeys: 3,
            }),
          )
          .map(([a, b]) => ({ ...a, ...b }));
      }
      return fixed;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Where to put an adversarial value: a path of choice indices into the object, or a new key. */
interface Mutation {
  path: number[];
  newKey: string | null;
  value: unknown;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  newKey: fc.option(
    fc.oneof(
      fc.constantFrom(...POLLUTION_KEYS),
      fc.constantFrom('id', 'extra', '', ' ', 'a'.repeat(300)),
      fc.string(),
    ),
    { freq: 4 },
  ),
  value: adversarial,
});

function clone(v: unknown): unknown {
  if (v instanceof Raw) return v;
  if (Array.isArray(v)) return v.map(clone);
  if (v !== null && typeof v === 'object') {
    return ownObject(Object.keys(v).map((k) => [k, clone((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Applies mutations to a copy: replaces a field found by walking `path`, or adds a key there. */
function mutate(base: unknown, mutations: Mutation[]): unknown {
  let root = clone(base);
  for (const mutation of mutations) {
    // Never share (or later mutate) a value fast-check generated: that could build a cycle.
    const m = { ...mutation, value: clone(mutation.value) };
    if (root === null || typeof root !== 'object' || root instanceof Raw) {
      root = m.value;
      continue;
    }
    let parent = root as Record<string, unknown>;
    for (let i = 0; ; i++) {
      const keys = Object.keys(parent);
      const step = m.path[i];
      const last = i === m.path.length - 1 || step === undefined;
      if (Array.isArray(parent) && (keys.length === 0 || (last && m.newKey !== null))) {
        // Arrays get elements, not named keys (which JSON would drop anyway).
        parent.push(m.value);
        break;
      }
      if (keys.length === 0 || (last && m.newKey !== null)) {
        Object.defineProperty(parent, m.newKey ?? 'extra', {
          value: m.value,
          enumerable: true,
          writable: true,
        });
        break;
      }
      const key = keys[(step ?? 0) % keys.length] as string;
      const child = parent[key];
      if (last || child === null || typeof child !== 'object' || child instanceof Raw) {
        parent[key] = m.value;
        break;
      }
      parent = child as Record<string, unknown>;
    }
  }
  return root;
}

// ---------- raw bodies ----------

/** A body just over the host's 1 MiB API limit. */
const MAX_BODY_HINT = 1024 * 1024 + 10;

const rawBody: fc.Arbitrary<{ body: string | Buffer; contentType?: string }> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '}',
      '[',
      'undefined',
      'NaN',
      'Infinity',
      "{'a':1}",
      '{"a":1,}',
      '[1,]',
      '{"a":1}{"b":2}',
      '{"a" 1}',
      '\u0000',
      '\ufeff{}',
      '"\\ud800"',
      '"\\x41"',
      'null',
      'true',
      '0',
      '[]',
      '""',
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"a":1e309}',
      '{"a":-0}',
      '<xml/>',
      'a=1&b=2',
      '\r\n\r\n',
    )
    .map((body) => ({ body })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ body })),
  fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: Buffer.from(b) })),
  // Not UTF-8 at all.
  fc.constant({ body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }),
  fc.constant({ body: Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80]) }),
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      '',
      'application/jsonx',
    )
    .map((contentType) => ({ body: '{}', contentType })),
  fc.constant({ body: '[' + '1,'.repeat(200_000) + '1]' }),
  fc.constant({ body: `{"a":"${'x'.repeat(MAX_BODY_HINT)}"}` }),
);

// ---------- the property ----------

const casesPerChannel = new Map<string, number>();
const okPerChannel = new Map<string, number>();
const failures: string[] = [];
const seenStatuses = new Map<number, number>();

function collectIds(v: unknown, idField: string, depth = 0): void {
  if (depth > 4 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v.slice(0, 20)) collectIds(x, idField, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' && (k === 'id' || k.endsWith('Id'))) {
      const field = k === 'id' ? idField : k;
      const pool = idPools.get(field) ?? [];
      idPools.set(field, pool);
      if (!pool.includes(x) && pool.length < 200) pool.push(x);
      if (!knownIds.includes(x) && knownIds.length < 500) knownIds.push(x);
    } else if (k === 'items' || Array.isArray(x)) {
      collectIds(x, idField, depth + 1);
    }
  }
}

/** Checks one reply; returns a description of what is wrong, or null. */
function judge(channel: Channel, reply: Reply): string | null {
  seenStatuses.set(reply.status, (seenStatuses.get(reply.status) ?? 0) + 1);
  let json: { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    json = JSON.parse(reply.body) as typeof json;
  } catch {
    return `status ${reply.status}, body is not JSON: ${reply.body.slice(0, 200)}`;
  }
  if (reply.status >= 200 && reply.status < 300) {
    if (json.ok !== true) return `status ${reply.status} without ok:true: ${reply.body.slice(0, 300)}`;
    const out = channels[channel].output.safeParse(json.value);
    if (!out.success) return `ok reply does not match the output schema: ${z.prettifyError(out.error)}`;
    okPerChannel.set(channel, (okPerChannel.get(channel) ?? 0) + 1);
    collectIds(json.value, entityIdField(channel));
    return null;
  }
  if (reply.status >= 400 && reply.status < 500) {
    const e = json.error;
    if (json.ok !== false || !e)
      return `status ${reply.status} without ok:false/error: ${reply.body.slice(0, 300)}`;
    if (!(ERROR_CODES as readonly unknown[]).includes(e.code)) return `unknown error code ${String(e.code)}`;
    if (e.code === 'internal') return `internal error code with status ${reply.status}`;
    if (typeof e.message !== 'string' || e.message.trim() === '') return `empty error message: ${reply.body}`;
    return null;
  }
  return `status ${reply.status}: ${reply.body.slice(0, 300)}`;
}

/** The longest X-NeedleLog-Input header the fuzzer sends (Node's whole request head limit is 16 KiB). */
const HEADER_LIMIT = 12 * 1024;

function expectNoFailures(channel: string): void {
  const mine = failures.filter((f) => f.startsWith(`${channel}: `));
  expect(mine, `${mine.length} failing replies, e.g.\n${mine.slice(0, 3).join('\n')}`).toEqual([]);
}

function describeInput(text: string | Buffer): string {
  const s =
    typeof text === 'string' ? text : `<${text.length} bytes> ${text.subarray(0, 80).toString('hex')}`;
  return s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s;
}

/** Would the channel's own schema accept this body? (Only used to keep INVALID_ONLY channels safe.) */
function schemaAccepts(channel: Channel, body: string | Buffer): boolean {
  // Decoded from the bytes sent, as the host decodes them: that drops a leading BOM, so the raw
  // body "\ufeff{}" is {} to the host (a string body read as is once let auth.lock lock the run).
  const text = new TextDecoder().decode(typeof body === 'string' ? Buffer.from(body) : body);
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return false;
  }
  return channels[channel].input.safeParse(input).success;
}

let host: BrowserHost;
let managerId = '';
let dataDir: string;
let rendererRoot: string;
let jpeg: Buffer;
const prototypeNamesBefore = Object.getOwnPropertyNames(Object.prototype).sort();

async function send(channel: Channel, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}) {
  casesPerChannel.set(channel, (casesPerChannel.get(channel) ?? 0) + 1);
  const reply = await post(host, channel, body, headers);
  const problem = judge(channel, reply);
  if (problem) {
    const head = headers['X-NeedleLog-Input'];
    const line = `${channel}: ${problem}\n  input: ${describeInput(body)}${
      head ? `\n  header: ${describeInput(decodeForReport(String(head)))}` : ''
    }`;
    failures.push(line);
  }
  return problem;
}

async function hostStillAnswers(): Promise<void> {
  const reply = await post(host, 'settings.get', '{}');
  expect(reply.status).toBe(200);
  expect((JSON.parse(reply.body) as { ok: boolean }).ok).toBe(true);
}

async function apiOk<T>(channel: Channel, input: unknown): Promise<T> {
  const reply = await post(host, channel, JSON.stringify(input));
  const json = JSON.parse(reply.body) as { ok: boolean; value: T };
  if (!json.ok) throw new Error(`${channel} failed: ${reply.body}`);
  collectIds(json.value, entityIdField(channel));
  return json.value;
}

beforeAll(async () => {
  dataDir = tempDir('needlelog-fuzz-');
  rendererRoot = tempDir('needlelog-fuzz-renderer-');
  fs.writeFileSync(path.join(rendererRoot, 'index.html'), '<!doctype html><title>fuzz</title>');
  host = await startTestHost({ dataDir, rendererDir: rendererRoot, log: () => {} });
  jpeg = await plainJpeg(64, 48, 7);

  // A small clinic, so that inputs naming real records reach the services' deeper checks. The
  // fuzzing runs signed in as its manager (the session belongs to the launch secret).
  const practitioner = (
    await apiOk<{ practitioner: { id: string } }>('auth.setup', {
      clinicName: 'Fuzz Clinic',
      name: 'Dr Fuzz',
      pin: TEST_PIN,
    })
  ).practitioner;
  managerId = practitioner.id;
  await apiOk('settings.update', { currentPractitionerId: practitioner.id });
  const client = await apiOk<{ id: string }>('clients.create', { firstName: 'Fuzzy', lastName: 'Client' });
  const course = await apiOk<{ id: string }>('courses.create', {
    clientId: client.id,
    area: 'cheeks',
    indication: 'acne_scars',
    plannedSessions: 4,
    plannedIntervalDays: 28,
    startedOn: '2026-01-05',
  });
  await apiOk('consents.sign', {
    courseId: course.id,
    templateVersion: 1,
    photoScope: 'record',
    clientName: 'Fuzzy Client',
    clientSignature: strokes(3),
    practitionerSignature: strokes(2),
  });
  const session = await apiOk<{ id: string }>('sessions.create', {
    courseId: course.id,
    practitionerId: practitioner.id,
    performedAt: '2026-01-05T10:00:00Z',
    zones: [{ zone: 'cheek_left', depthMm: 1 }],
    photoConsent: 'record',
  });
  const aeKinds = (
    z.toJSONSchema(channels['adverseEvents.create'].input, {
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema
  ).properties?.kind?.enum as string[];
  await apiOk('adverseEvents.create', {
    sessionId: session.id,
    kind: aeKinds[0],
    severity: 'mild',
    onsetOn: '2026-01-06',
  });
  const reply = await post(host, 'photos.import', jpeg, {
    'Content-Type': 'application/octet-stream',
    'X-NeedleLog-Input': encodeURIComponent(
      JSON.stringify({ sessionId: session.id, kind: 'before', view: 'frontal' }),
    ),
  });
  expect(reply.status).toBe(200);
  collectIds((JSON.parse(reply.body) as { value: unknown }).value, 'photoId');
});

afterAll(async () => {
  await host?.close();
  agent.destroy();
  const report = CHANNEL_NAMES.map(
    (c) =>
      `${c.padEnd(24)} ${String(casesPerChannel.get(c) ?? 0).padStart(5)} cases, ${okPerChannel.get(c) ?? 0} ok`,
  );
  const total = [...casesPerChannel.values()].reduce((a, b) => a + b, 0);
  console.log(
    `fuzz: ${total} cases over ${CHANNEL_NAMES.length} channels; statuses ${JSON.stringify(
      Object.fromEntries(seenStatuses),
    )}\n${report.join('\n')}`,
  );
  for (const dir of [dataDir, rendererRoot]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('fuzzed boundaries: every channel through the browser host', () => {
  it('covers every channel of the contract', () => {
    expect(CHANNEL_NAMES.length).toBeGreaterThan(0);
    for (const c of CHANNEL_NAMES) expect(channels[c].input).toBeDefined();
  });

  it('keeps valid input away from the INVALID_ONLY channels, however the body is spelled', () => {
    // The host reads "\ufeff{}" as {}: sending it to auth.lock would lock the rest of the run.
    for (const body of ['{}', '\ufeff{}', ' \r\n', Buffer.from('\ufeff{}')]) {
      expect(schemaAccepts('auth.lock', body), JSON.stringify(String(body))).toBe(true);
    }
    expect(schemaAccepts('auth.lock', '{"a":1}')).toBe(false);
  });

  it('signed out, every channel but the sign-in ones refuses any input with 401, never a 5xx', async () => {
    await apiOk('auth.signOut', {});
    try {
      for (const channel of CHANNEL_NAMES) {
        if (channelAccess[channel] === 'public') continue;
        await fc.assert(
          fc.asyncProperty(fc.jsonValue(), async (v) => {
            const reply = await post(host, channel, jsonText(v));
            expect(reply.status, `${channel} ${reply.body}`).toBe(401);
            expect((JSON.parse(reply.body) as { error: { code: string } }).error.code).toBe(
              'sign_in_required',
            );
          }),
          { numRuns: 5 },
        );
      }
    } finally {
      await apiOk('auth.signIn', { practitionerId: managerId, pin: TEST_PIN });
    }
    await hostStillAnswers();
  });

  for (const channel of CHANNEL_NAMES) {
    it(`${channel}: random JSON, schema-shaped mutants and raw bodies never get a 5xx`, async () => {
      const schema = z.toJSONSchema(channels[channel].input, {
        io: 'input',
        unrepresentable: 'any',
      }) as JsonSchema;
      const shaped = fc
        .tuple(
          fromSchema(schema, channel, entityIdField(channel)),
          fc.array(mutationArb, { minLength: 0, maxLength: 3 }),
        )
        .map(([base, ms]) => mutate(base, ms));
      const invalidOnly = INVALID_ONLY.has(channel);

      if (BINARY.has(channel)) {
        await fuzzBinary(channel, shaped);
        await hostStillAnswers();
        expectNoFailures(channel);
        return;
      }

      const sendJson = async (body: string | Buffer, contentType?: string) => {
        // Whatever the content type: an input the schema accepts is never sent to these channels.
        if (invalidOnly) fc.pre(!schemaAccepts(channel, body));
        await send(channel, body, contentType === undefined ? {} : { 'Content-Type': contentType });
      };

      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), (v) => sendJson(jsonText(v))),
        { numRuns: RUNS.json },
      );
      await hostStillAnswers();
      await fc.assert(
        fc.asyncProperty(shaped, (v) => sendJson(jsonText(v))),
        { numRuns: RUNS.shaped },
      );
      await hostStillAnswers();
      await fc.assert(
        fc.asyncProperty(rawBody, ({ body, contentType }) => sendJson(body, contentType)),
        { numRuns: RUNS.raw },
      );
      await hostStillAnswers();
      expectNoFailures(channel);
    }, 120_000);
  }

  /** The header carries the fields, the body the file: fuzz both. */
  async function fuzzBinary(channel: Channel, shaped: fc.Arbitrary<unknown>): Promise<void> {
    const header = fc.oneof(
      { arbitrary: shaped.map((v) => encodeHeader(jsonText(v))), weight: 6 },
      { arbitrary: fc.jsonValue().map((v) => encodeHeader(JSON.stringify(v))), weight: 2 },
      {
        arbitrary: fc.constantFrom(
          '%',
          '%E0%A4%A',
          '%ED%A0%80', // an encoded lone surrogate: decodeURIComponent refuses it
          '%7B%22__proto__%22%3A%7B%22polluted%22%3A%22yes%22%7D%7D',
          '{"not":"encoded"}',
          'null',
          '[]',
          '"x"',
          '',
        ),
        weight: 2,
      },
      { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 200 }), weight: 1 },
    );
    const body = fc.oneof(
      { arbitrary: fc.constant(jpeg), weight: 3 },
      { arbitrary: fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)), weight: 3 },
      // Starts like a JPEG, then is cut short or turns to noise.
      {
        arbitrary: fc
          .tuple(fc.nat({ max: jpeg.length }), fc.uint8Array({ maxLength: 512 }))
          .map(([cut, noise]) => Buffer.concat([jpeg.subarray(0, cut), Buffer.from(noise)])),
        weight: 3,
      },
      {
        arbitrary: fc
          .constantFrom(
            [0xff, 0xd8, 0xff],
            [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
            [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
            [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63],
          )
          .chain((magic) => fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from([...magic, ...b]))),
        weight: 2,
      },
      { arbitrary: fc.constant(Buffer.alloc(0)), weight: 1 },
    );
    const contentType = fc.oneof(
      { arbitrary: fc.constant('application/octet-stream'), weight: 8 },
      { arbitrary: fc.constantFrom('application/json', 'image/jpeg', 'text/plain', ''), weight: 1 },
    );
    const total = RUNS.json + RUNS.shaped + RUNS.raw;
    await fc.assert(
      fc.asyncProperty(header, body, contentType, async (h, b, type) => {
        // Node refuses request heads over 16 KiB before our code runs (see the test below).
        fc.pre(h.length <= HEADER_LIMIT);
        await send(channel, b, { 'Content-Type': type, 'X-NeedleLog-Input': h });
      }),
      { numRuns: total },
    );
  }
});

function decodeForReport(header: string): string {
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/** URI-encodes the header as the renderer does; text it cannot encode (lone surrogates) goes raw-escaped. */
function encodeHeader(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?')) + '%ED%A0%80';
  }
}

describe('deeply nested input', () => {
  it('drafts.save with data nested 5 000 deep gets a clear 400, not a stack overflow', async () => {
    const data = '['.repeat(5_000) + ']'.repeat(5_000);
    const reply = await post(host, 'drafts.save', `{"courseId":"${knownIds[0] ?? ''}","data":${data}}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('nested too deeply');
  });
});

describe('an X-NeedleLog-Input header too large for Node', () => {
  it('is refused with a 4xx before our code runs, and the host keeps answering', async () => {
    // Node's 16 KiB limit on the request head: its parser answers, not ours, so the body is not our JSON.
    const reply = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/photos.import',
          headers: {
            Authorization: `Bearer ${host.secret}`,
            'Content-Type': 'application/octet-stream',
            'X-NeedleLog-Input': encodeURIComponent(JSON.stringify({ fileName: '😀'.repeat(2_000) })),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(jpeg);
    });
    expect(reply).toBeGreaterThanOrEqual(400);
    expect(reply).toBeLessThan(500);
    await hostStillAnswers();
  });
});

describe('archive bundles with valid checksums and edited records.json', () => {
  /** A course bundle from another clinic: practitioner, client, course, session, adverse event, photo. */
  async function sourceBundle(): Promise<string> {
    const dir = tempDir('needlelog-fuzz-source-');
    const db = openDatabase(dir, testKeyFor(dir));
    try {
      const services = createServices(db);
      const practitioner = services.practitioners.create({ name: 'Dr Elsewhere' });
      services.actAs(practitioner.id);
      const client = services.clients.create({ firstName: 'Bundled', lastName: 'Client', fitzpatrick: 3 });
      const course = services.courses.create({
        clientId: client.id,
        area: 'lips_perioral',
        indication: 'lip_enhancement',
        plannedSessions: 3,
        plannedIntervalDays: 28,
        startedOn: '2026-02-02',
      });
      signConsent(services, course.id, 'Bundled Client');
      const session = services.sessions.create({
        courseId: course.id,
        practitionerId: practitioner.id,
        performedAt: '2026-02-02T10:00:00Z',
        zones: [
          { zone: 'upper_lip', depthMm: 0.5 },
          { zone: 'chin', depthMm: 0.75 },
        ],
        aftercare: ['spf30_from_24h'],
        pain: 3,
        photoConsent: 'record',
        adverseEvents: [{ kind: 'bruising', severity: 'mild', onsetOn: '2026-02-03' }],
      }).value;
      await services.photos.import({ sessionId: session.id, kind: 'before', view: 'frontal', data: jpeg });
      const prepared = prepareExport(
        services.ctx,
        { format: 'zip', selection: { courseId: course.id }, passphrase: TEST_PASSPHRASE },
        undefined,
        { scrypt: TEST_SCRYPT },
      );
      await runExport(services.ctx, prepared);
      // The plain zip inside, for the edits; each edited one is sealed again before it is sent.
      return openedZip(prepared.file, TEST_PASSPHRASE);
    } finally {
      closeDatabase(db);
    }
  }

  const BUNDLE_HEADERS = {
    'Content-Type': 'application/octet-stream',
    'X-NeedleLog-Input': encodeURIComponent(
      JSON.stringify({ fileName: 'edited.zip', passphrase: TEST_PASSPHRASE }),
    ),
  };

  let source: string;
  beforeAll(async () => {
    source = await sourceBundle();
  });

  it('refuses each edit the API would refuse with a 400 naming records.json, the record and the field', async () => {
    const clientsBefore = (await apiOk<{ total: number }>('clients.list', { limit: 1 })).total;
    for (const variant of REFUSED_RECORD_EDITS) {
      const edited = await editedBundle(source, variant.edit);
      const reply = await post(
        host,
        'exports.import',
        await sealedZip(edited, TEST_PASSPHRASE),
        BUNDLE_HEADERS,
      );
      expect(reply.status, `${variant.name}: ${reply.body}`).toBe(400);
      const error = (JSON.parse(reply.body) as { error: { code: string; message: string } }).error;
      expect(error.code, variant.name).toBe('invalid_input');
      expect(error.message, variant.name).toMatch(
        /^records\.json: [a-z ]+ "[^"]+" \([a-z_]+ row \d+\), field /,
      );
      expect(error.message, variant.name).toContain(`field ${variant.field}`);
    }
    expect((await apiOk<{ total: number }>('clients.list', { limit: 1 })).total).toBe(clientsBefore);
  }, 120_000);

  it('random edits of any column are either refused with a 4xx or stored as the API would store them', async () => {
    const value = fc.oneof(
      adversarial.filter((v) => !(v instanceof Raw)),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const edit = fc.record({
      table: fc.constantFrom(...BUNDLE_TABLES),
      column: fc.nat(),
      value,
    });
    let newer = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const edited = await editedBundle(source, (r) => {
          for (const e of edits) {
            const row = r.tables[e.table]?.[0];
            if (!row) continue;
            // Newer than what an earlier case imported, so an accepted edit is written, not skipped.
            if ('updated_at' in row)
              row.updated_at = new Date(Date.UTC(2027, 0, 1) + ++newer * 1000).toISOString();
            const columns = Object.keys(row);
            row[columns[e.column % columns.length]!] = e.value;
          }
        });
        expect(
          await send('exports.import', await sealedZip(edited, TEST_PASSPHRASE), BUNDLE_HEADERS),
        ).toBeNull();
      }),
      { numRuns: runs(40) },
    );
    await hostStillAnswers();
    expectNoFailures('exports.import');
  }, 300_000);
});

describe('after the fuzzing', () => {
  it('recorded no failing reply', () => {
    expect(failures, failures.slice(0, 10).join('\n')).toEqual([]);
  });

  it('left Object.prototype untouched in this process (the host runs in it)', () => {
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(typeof probe.toString).toBe('function');
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNamesBefore);
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
  });

  it('every record the API lists still matches the output schemas', async () => {
    const lists: [Channel, unknown][] = [
      ['practitioners.list', {}],
      ['clients.list', { limit: 500 }],
      ['clients.list', { limit: 500, deleted: true }],
      ['settings.get', {}],
      ['backups.list', {}],
    ];
    const clients = [
      ...(await apiOk<{ items: { id: string }[] }>('clients.list', { limit: 500 })).items,
      ...(await apiOk<{ items: { id: string }[] }>('clients.list', { limit: 500, deleted: true })).items,
    ];
    for (const c of clients) {
      const courses = await apiOk<{ id: string }[]>('courses.list', { clientId: c.id });
      for (const k of courses) {
        lists.push(['sessions.list', { courseId: k.id }], ['photos.list', { courseId: k.id }]);
        lists.push(['adverseEvents.list', { courseId: k.id }], ['drafts.get', { courseId: k.id }]);
      }
    }
    for (const [channel, input] of lists) {
      const reply = await post(host, channel, JSON.stringify(input));
      expect(judge(channel, reply), `${channel} ${JSON.stringify(input)}`).toBeNull();
      expect(reply.status).toBe(200);
    }
  });

  it('left the database consistent: integrity, foreign keys, no row pointing at a missing photo', async () => {
    await host.close();
    const db = openDatabase(dataDir, testKeyFor(dataDir));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const store = photoStore(dataDir);
      const files = db.prepare('SELECT file_id AS f FROM photos').all() as { f: string }[];
      for (const { f } of files) expect(store.has(f), f).toBe(true);
      // Rows the schemas forbid: sessions without zones, depths outside the hard limits.
      expect(
        db
          .prepare(
            `SELECT count(*) AS n FROM sessions s WHERE NOT EXISTS
          (SELECT 1 FROM session_zones z WHERE z.session_id = s.id)`,
          )
          .get(),
      ).toEqual({ n: 0 });
      expect(
        db.prepare(`SELECT count(*) AS n FROM session_zones WHERE depth_mm < 0.1 OR depth_mm > 3.0`).get(),
      ).toEqual({ n: 0 });
    } finally {
      closeDatabase(db);
    }
  });
});
