import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PINS } from '../../electron/services/demo.js';
import { signInHost } from '../support/signIn.js';

const DEMO_PINS_NAME = 'Dr Aisha Rahman';
import { exportSignature, photoSignature } from '../../electron/host/security.js';
import { STATUS_FOR_CODE, fail, methodNotAllowed } from '../../electron/host/replies.js';
import { ERROR_CODES } from '../../contract/result.js';
import { databasePath, openSqliteFile } from '../../db/connection.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/host/security.js';
import { MAX_BODY_BYTES, startBrowserHost, type BrowserHost } from '../../electron/host/browserHost.js';
import { startTestHost } from '../support/host.js';
import { testKeyFor } from '../support/clinic.js';
import { browserCommand } from '../../electron/host/openBrowser.js';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body>NeedleLog test shell</body></html>';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A tiny stand-in for the Vite build, with a secret file next to it that must never be served. */
function makeRendererDir(): { root: string; rendererDir: string } {
  const root = tempDir('needlelog-renderer-');
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("needlelog");\n');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'style.css'), 'body{margin:0}\n');
  fs.writeFileSync(path.join(rendererDir, 'favicon.ico'), Buffer.from([0, 0, 1, 0]));
  fs.writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET-OUTSIDE-RENDERER');
  try {
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  } catch {
    // Symlinks may be unavailable (e.g. Windows without privileges); the other checks still run.
  }
  return { root, rendererDir };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http, for what fetch will not do: set Host, send an unnormalised path, stream a chunked body. */
function rawRequest(
  port: number,
  opts: {
    method?: string;
    path: string;
    headers?: http.OutgoingHttpHeaders;
    body?: string | Buffer | (string | Buffer)[];
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const body = opts.body;
    if (Array.isArray(body)) {
      // Written piece by piece (chunked), so the server only learns the size while reading.
      let i = 0;
      const next = () => {
        if (i >= body.length) {
          req.end();
          return;
        }
        const piece = body[i++] as string | Buffer;
        if (req.destroyed) return;
        req.write(piece, () => setImmediate(next));
      };
      next();
    } else {
      req.end(body);
    }
  });
}

interface ApiResponse {
  status: number;
  headers: Headers;
  json: { ok: boolean; value?: unknown; error?: { code: string; message: string; field?: string } };
}

async function api(
  host: BrowserHost,
  channel: string,
  input: unknown,
  opts: { token?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse> {
  const token = opts.token === undefined ? host.secret : opts.token;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...opts.headers };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers,
    body: opts.body ?? JSON.stringify(input),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as ApiResponse['json'] };
}

function parseJson(body: string): ApiResponse['json'] {
  return JSON.parse(body) as ApiResponse['json'];
}

const logged: { message: string; err?: unknown }[] = [];
const log = (message: string, err?: unknown) => logged.push({ message, err });

let host: BrowserHost;
let dataDir: string;
let renderer: { root: string; rendererDir: string };

beforeAll(async () => {
  dataDir = tempDir('needlelog-host-');
  renderer = makeRendererDir();
  host = await startTestHost({ dataDir, rendererDir: renderer.rendererDir, log });
  await signInHost(host);
});

afterAll(async () => {
  await host?.close();
});

describe('browser host: start-up', () => {
  it('binds 127.0.0.1 only, on a random port, with the secret in the URL fragment', async () => {
    expect(host.address).toBe('127.0.0.1');
    expect(host.port).toBeGreaterThan(0);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.secret}`);
    expect(host.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const connect = (address: string) =>
      new Promise<'connected' | 'refused'>((resolve) => {
        const socket = net.connect({ host: address, port: host.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', () => resolve('refused'));
      });
    expect(await connect('127.0.0.1')).toBe('connected');
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
      .map((i) => i.address);
    expect(await connect('::1'), 'reachable on IPv6 loopback').toBe('refused');
    for (const address of others) {
      expect(await connect(address), `reachable on ${address}`).toBe('refused');
    }
  });

  it('generates a different secret on every launch', async () => {
    const other = await startTestHost({
      dataDir: tempDir('needlelog-host-'),
      rendererDir: renderer.rendererDir,
      log,
    });
    try {
      expect(other.secret).not.toBe(host.secret);
      expect(other.port).not.toBe(host.port);
    } finally {
      await other.close();
    }
  });
});

describe('browser host: authentication', () => {
  it('refuses a request without the secret (401 unauthorized)', async () => {
    const r = await api(host, 'clients.list', {}, { token: null });
    expect(r.status).toBe(401);
    expect(r.json.ok).toBe(false);
    expect(r.json.error?.code).toBe('unauthorized');
  });

  it('refuses a wrong secret, including one of the same length (401 unauthorized)', async () => {
    for (const token of ['wrong', 'x'.repeat(host.secret.length), host.secret.slice(0, -1)]) {
      const r = await api(host, 'clients.list', {}, { token });
      expect(r.status).toBe(401);
      expect(r.json.error?.code).toBe('unauthorized');
    }
  });

  it('does not accept the secret in the query string for API calls', async () => {
    const res = await fetch(`${host.origin}/api/clients.list?token=${host.secret}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ApiResponse['json']).error?.code).toBe('unauthorized');
  });

  it('with the right secret, a client created is then listed (real round trip)', async () => {
    const created = await api(host, 'clients.create', { firstName: 'Zoë', lastName: 'Okafor' });
    expect(created.status).toBe(200);
    expect(created.json.ok).toBe(true);
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('x-content-type-options')).toBe('nosniff');
    const id = (created.json.value as { id: string }).id;

    const listed = await api(host, 'clients.list', {});
    expect(listed.status).toBe(200);
    const value = listed.json.value as { items: { id: string; firstName: string }[]; total: number };
    expect(value.total).toBe(1);
    expect(value.items.map((c) => c.id)).toEqual([id]);
    expect(value.items[0]?.firstName).toBe('Zoë');
  });
});

describe('browser host: Host and Origin (DNS rebinding, cross-site requests)', () => {
  it('refuses a foreign Host header (403 forbidden), even with the secret', async () => {
    const r = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/clients.list',
      headers: {
        Host: `evil.example:${host.port}`,
        Authorization: `Bearer ${host.secret}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(parseJson(r.body).error?.code).toBe('forbidden');

    const page = await rawRequest(host.port, { path: '/', headers: { Host: 'evil.example' } });
    expect(page.status).toBe(403);
    expect(parseJson(page.body).error?.code).toBe('forbidden');

    const wrongPort = await rawRequest(host.port, {
      path: '/',
      headers: { Host: `127.0.0.1:${host.port + 1}` },
    });
    expect(wrongPort.status).toBe(403);
  });

  it('accepts localhost:PORT as Host', async () => {
    const r = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/settings.get',
      headers: {
        Host: `localhost:${host.port}`,
        Origin: `http://localhost:${host.port}`,
        Authorization: `Bearer ${host.secret}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(r.status).toBe(200);
    expect(parseJson(r.body).ok).toBe(true);
  });

  it('refuses a foreign Origin (403 forbidden)', async () => {
    const r = await api(host, 'clients.list', {}, { headers: { Origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('forbidden');
  });

  it("does not accept the secret from another port's origin (403 forbidden)", async () => {
    const r = await api(
      host,
      'clients.list',
      {},
      { headers: { Origin: `http://127.0.0.1:${host.port + 1}` } },
    );
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('forbidden');
  });

  it('refuses a "null" origin and a cross-site fetch-metadata request', async () => {
    const nullOrigin = await api(host, 'clients.list', {}, { headers: { Origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    expect(nullOrigin.json.error?.code).toBe('forbidden');
    const r = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/clients.list',
      headers: {
        'Sec-Fetch-Site': 'same-site',
        Authorization: `Bearer ${host.secret}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(parseJson(r.body).error?.code).toBe('forbidden');
  });

  it('accepts its own origin', async () => {
    const r = await api(host, 'settings.get', {}, { headers: { Origin: host.origin } });
    expect(r.status).toBe(200);
  });

  it('never sends a CORS header, and refuses preflights', async () => {
    const responses: RawResponse[] = [];
    responses.push(
      await rawRequest(host.port, {
        method: 'OPTIONS',
        path: '/api/clients.list',
        headers: {
          Origin: 'http://evil.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type',
        },
      }),
    );
    const preflightSameOrigin = await rawRequest(host.port, {
      method: 'OPTIONS',
      path: '/api/clients.list',
      headers: { Origin: host.origin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflightSameOrigin.status).toBe(405);
    expect(parseJson(preflightSameOrigin.body).error?.code).toBe('method_not_allowed');
    responses.push(preflightSameOrigin);
    responses.push(await rawRequest(host.port, { method: 'OPTIONS', path: '/' }));
    responses.push(await rawRequest(host.port, { path: '/' }));
    responses.push(await rawRequest(host.port, { path: '/assets/app.js' }));
    responses.push(
      await rawRequest(host.port, {
        method: 'POST',
        path: '/api/clients.list',
        headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
        body: '{}',
      }),
    );
    responses.push(await rawRequest(host.port, { method: 'POST', path: '/api/clients.list' }));
    responses.push(await rawRequest(host.port, { path: '/', headers: { Origin: 'http://evil.example' } }));
    for (const r of responses) {
      expect(r.status).toBeGreaterThan(0);
      for (const name of Object.keys(r.headers)) expect(name).not.toMatch(/^access-control-/i);
    }
    expect(responses[0]?.status).toBe(403);
  });
});

describe('browser host: request bodies and replies', () => {
  it('refuses a body over 1 MiB declared by Content-Length (413 too_large)', async () => {
    const big = JSON.stringify({ firstName: 'x'.repeat(MAX_BODY_BYTES) });
    const r = await api(host, 'clients.create', undefined, { body: big });
    expect(r.status).toBe(413);
    expect(r.json.error?.code).toBe('too_large');
  });

  it('refuses a chunked body once it passes 1 MiB while streaming (413 too_large)', async () => {
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const pieces = Array.from({ length: 40 }, () => piece); // 2.5 MiB of spaces, no Content-Length
    const r = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/clients.create',
      headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
      body: pieces,
    }).catch((err: unknown) => err);
    // The host answers 413 and closes; depending on timing the client may only see the reset.
    if (r instanceof Error) {
      expect((r as NodeJS.ErrnoException).code).toMatch(/ECONNRESET|EPIPE/);
    } else {
      const res = r as RawResponse;
      expect(res.status).toBe(413);
      expect(parseJson(res.body).error?.code).toBe('too_large');
    }
    // And the host is still serving.
    expect((await api(host, 'settings.get', {})).status).toBe(200);
  });

  it('accepts a body of exactly 1 MiB (the limit is inclusive), failing only validation', async () => {
    const prefix = '{"firstName":"';
    const suffix = '"}';
    const body = prefix + 'x'.repeat(MAX_BODY_BYTES - prefix.length - suffix.length) + suffix;
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const r = await api(host, 'clients.create', undefined, { body });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('invalid_input');
  });

  it('refuses a body that is not JSON (400 bad_json)', async () => {
    for (const body of ['{not json', '{"firstName": "A",}', 'undefined']) {
      const r = await api(host, 'clients.create', undefined, { body });
      expect(r.status).toBe(400);
      expect(r.json.error?.code).toBe('bad_json');
    }
  });

  it('refuses a body that is not UTF-8 (400 bad_json)', async () => {
    const r = await rawRequest(host.port, {
      method: 'POST',
      path: '/api/clients.create',
      headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    });
    expect(r.status).toBe(400);
    expect(parseJson(r.body).error?.code).toBe('bad_json');
  });

  it('treats an empty body as {}', async () => {
    const r = await api(host, 'settings.get', undefined, { body: '' });
    expect(r.status).toBe(200);
    expect(r.json.ok).toBe(true);
  });

  it('requires Content-Type application/json (415)', async () => {
    const res = await fetch(`${host.origin}/api/settings.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ApiResponse['json']).error?.code).toBe('unsupported_media_type');
    const charset = await api(
      host,
      'settings.get',
      {},
      { headers: { 'Content-Type': 'application/json; charset=utf-8' } },
    );
    expect(charset.status).toBe(200);
  });

  it('answers an unknown channel with 404 unknown_channel', async () => {
    for (const channel of ['clients.nope', '__proto__', 'constructor', 'clients.list/extra']) {
      const r = await api(host, channel, {});
      expect(r.status).toBe(404);
      expect(r.json.error?.code).toBe('unknown_channel');
    }
  });

  it('answers input failing the schema with 400 invalid_input and the field', async () => {
    for (const input of [{ firstName: '' }, { firstName: 5 }]) {
      const r = await api(host, 'clients.create', input);
      expect(r.status).toBe(400);
      expect(r.json.error?.code).toBe('invalid_input');
      expect(r.json.error?.field).toBe('firstName');
    }
  });

  it('keeps __proto__ as a plain key, which the strict schemas reject', async () => {
    const r = await api(host, 'clients.create', undefined, {
      body: '{"firstName":"Ana","lastName":"Silva","__proto__":{"isAdmin":true}}',
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('invalid_input');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('answers not_found with 404', async () => {
    const r = await api(host, 'clients.get', { id: '0190f5c2-0000-7000-8000-000000000000' });
    expect(r.status).toBe(404);
    expect(r.json.error?.code).toBe('not_found');
  });

  it('answers other methods on /api with 405', async () => {
    const res = await fetch(`${host.origin}/api/clients.list`, {
      headers: { Authorization: `Bearer ${host.secret}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(((await res.json()) as ApiResponse['json']).error?.code).toBe('method_not_allowed');
    const put = await fetch(`${host.origin}/api/clients.list`, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
  });

  it('a handler that throws gives 500 with a generic message, is logged, and the host keeps serving', async () => {
    const other = openSqliteFile(databasePath(dataDir), testKeyFor(dataDir));
    other.pragma('busy_timeout = 5000');
    try {
      const before = logged.length;
      other.exec('ALTER TABLE settings RENAME TO settings_away');
      const r = await api(host, 'settings.get', {});
      expect(r.status).toBe(500);
      expect(r.json.error?.code).toBe('internal');
      expect(r.json.error?.message).not.toMatch(/settings|sqlite|table/i);
      const entries = logged.slice(before);
      expect(
        entries.some((e) => /settings\.get/.test(e.message) && String(e.err).includes('no such table')),
      ).toBe(true);

      // Other channels are unaffected while the table is gone...
      expect((await api(host, 'clients.list', {})).status).toBe(200);
      other.exec('ALTER TABLE settings_away RENAME TO settings');
      // ...and the broken one works again once the table is back.
      const again = await api(host, 'settings.get', {});
      expect(again.status).toBe(200);
      expect(again.json.ok).toBe(true);
    } finally {
      other.close();
    }
  });
});

describe('browser host: static files', () => {
  const SECURITY_HEADERS = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  it('serves index.html at / with the CSP and every security header, without the secret', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe(INDEX_HTML);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('puts the security headers on API replies too', async () => {
    const r = await api(host, 'settings.get', {});
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(r.headers.get(name)).toBe(value);
    const refused = await api(host, 'settings.get', {}, { token: null });
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(refused.headers.get(name)).toBe(value);
  });

  it('serves assets with the right content types', async () => {
    const js = await fetch(`${host.origin}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('needlelog');
    const css = await fetch(`${host.origin}/assets/style.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const ico = await fetch(`${host.origin}/favicon.ico`);
    expect(ico.headers.get('content-type')).toBe('image/x-icon');
    const head = await fetch(`${host.origin}/assets/app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 404 for unknown assets and files, and index.html for client-side routes', async () => {
    expect((await fetch(`${host.origin}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${host.origin}/assets/missing`)).status).toBe(404);
    expect((await fetch(`${host.origin}/missing.png`)).status).toBe(404);
    const route = await fetch(`${host.origin}/clients/123`);
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX_HTML);
  });

  it('does not let a path escape the renderer directory', async () => {
    const paths = [
      '/assets/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fsecret.txt',
      '/../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..\\secret.txt',
      '/%5c..%5csecret.txt',
      '/assets/app.js%00.png',
      '/%00',
      '/%E0%A4%A',
      '/assets/link.txt',
    ];
    for (const p of paths) {
      const r = await rawRequest(host.port, { path: p });
      expect([400, 404], `${p} → ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('TOP-SECRET');
      expect(r.body).not.toContain('root:');
    }
    // What fetch makes of them (it normalises the dots away) stays inside too.
    const viaFetch = await fetch(`${host.origin}/assets/../../../secret.txt`);
    expect(await viaFetch.text()).not.toContain('TOP-SECRET');
  });

  it('answers 503 with a hint when the renderer has not been built', async () => {
    const empty = tempDir('needlelog-empty-renderer-');
    const bare = await startTestHost({ dataDir: tempDir('needlelog-host-'), rendererDir: empty, log });
    try {
      const res = await fetch(`${bare.origin}/`);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toContain('npm run build');
      // The API works regardless.
      await signInHost(bare);
      expect((await api(bare, 'settings.get', {})).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('browser host: /photo/ needs a signed address', () => {
  it('answers 401 without or with a wrong signature, and 404 for a signed id it does not have', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    const none = await rawRequest(host.port, { path: `/photo/${id}/thumb` });
    expect(none.status).toBe(401);
    expect(parseJson(none.body).error?.code).toBe('unauthorized');
    const wrong = await rawRequest(host.port, { path: `/photo/${id}/thumb?sig=nope` });
    expect(wrong.status).toBe(401);
    const token = await rawRequest(host.port, { path: `/photo/${id}/thumb?token=${host.secret}` });
    expect(token.status).toBe(401); // the launch secret itself is not a photo signature
    const signed = await rawRequest(host.port, {
      path: `/photo/${id}/thumb?sig=${photoSignature(host.secret, id, 'thumb')}`,
    });
    expect(signed.status).toBe(404);
    expect(parseJson(signed.body).error?.code).toBe('not_found');
  });
});

describe('browser host: /export/ needs a signed address that has not expired', () => {
  it('answers 401 unauthorized unsigned, 410 expired past its time, 404 not_found for a job it does not have', async () => {
    const job = '01900000-0000-7000-8000-000000000001';
    const none = await rawRequest(host.port, { path: `/export/${job}` });
    expect(none.status).toBe(401);
    expect(parseJson(none.body).error?.code).toBe('unauthorized');
    const past = Date.now() - 1_000;
    const expired = await rawRequest(host.port, {
      path: `/export/${job}?exp=${past}&sig=${exportSignature(host.secret, job, past)}`,
    });
    expect(expired.status).toBe(410);
    expect(parseJson(expired.body).error?.code).toBe('expired');
    const later = Date.now() + 60_000;
    const signed = await rawRequest(host.port, {
      path: `/export/${job}?exp=${later}&sig=${exportSignature(host.secret, job, later)}`,
    });
    expect(signed.status).toBe(404);
    expect(parseJson(signed.body).error?.code).toBe('not_found');
    const post = await rawRequest(host.port, { method: 'POST', path: `/export/${job}` });
    expect(post.status).toBe(405);
    expect(parseJson(post.body).error?.code).toBe('method_not_allowed');
  });
});

describe('browser host: one status per error code', () => {
  it('gives every error code of the contract its status, and every refusal the status of its code', () => {
    for (const code of ERROR_CODES) {
      const status = STATUS_FOR_CODE[code];
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(fail(code, 'x').status, code).toBe(status);
    }
    expect(Object.keys(STATUS_FOR_CODE).sort()).toEqual([...ERROR_CODES].sort());
    expect(methodNotAllowed('GET').status).toBe(405);
    expect(methodNotAllowed('GET').error.code).toBe('method_not_allowed');
  });
});

/** Reads `data:` lines off an SSE response until `stop` says so. */
async function readEvents<T>(res: Response, stop: (event: T) => boolean): Promise<T[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: T[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const event = JSON.parse(line.slice('data: '.length)) as T;
        events.push(event);
        if (stop(event)) {
          await reader.cancel();
          return events;
        }
      }
    }
  }
}

describe('browser host: progress events (SSE)', () => {
  it('refuses /api/events without the token (401)', async () => {
    const res = await fetch(`${host.origin}/api/events`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ApiResponse['json']).error?.code).toBe('unauthorized');
    const wrong = await fetch(`${host.origin}/api/events?token=nope`);
    expect(wrong.status).toBe(401);
    const foreign = await fetch(`${host.origin}/api/events?token=${host.secret}`, {
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
  });

  it('streams demo.load progress until finished', async () => {
    const fresh = await startTestHost({
      dataDir: tempDir('needlelog-host-'),
      rendererDir: renderer.rendererDir,
      log,
    });
    const abort = new AbortController();
    try {
      const res = await fetch(`${fresh.origin}/api/events?token=${encodeURIComponent(fresh.secret)}`, {
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();

      type Progress = { jobId: string; done: number; total: number; finished: boolean; error?: string };
      const events = readEvents<Progress>(res, (e) => e.finished);
      const started = await api(fresh, 'demo.load', {});
      expect(started.status).toBe(200);
      const jobId = (started.json.value as { jobId: string }).jobId;

      const received = await events;
      expect(received.length).toBeGreaterThan(1);
      expect(received.every((e) => e.jobId === jobId)).toBe(true);
      const last = received[received.length - 1];
      expect(last?.finished).toBe(true);
      expect(last?.error).toBeUndefined();
      expect(last?.done).toBe(last?.total);

      // Loaded before anyone signed in: its manager signs in with the demo PIN.
      await signInHost(fresh, { name: DEMO_PINS_NAME, pin: DEMO_PINS[0] });
      const listed = await api(fresh, 'clients.list', {});
      expect((listed.json.value as { total: number }).total).toBe(last?.total);
      // A second load into a full clinic is a conflict.
      const again = await api(fresh, 'demo.load', {});
      expect(again.status).toBe(409);
      expect(again.json.error?.code).toBe('conflict');
    } finally {
      abort.abort();
      await fresh.close();
    }
  });
});

describe('browser host: close()', () => {
  it('ends event streams, stops listening and closes the database (WAL checkpointed away)', async () => {
    const dir = tempDir('needlelog-host-');
    const h = await startTestHost({ dataDir: dir, rendererDir: renderer.rendererDir, log });
    await signInHost(h);
    expect((await api(h, 'clients.create', { firstName: 'Grace', lastName: 'Hughes' })).status).toBe(200);
    expect(fs.existsSync(databasePath(dir) + '-wal')).toBe(true);

    const stream = await fetch(`${h.origin}/api/events?token=${h.secret}`);
    expect(stream.status).toBe(200);
    const ended = readEvents(stream, () => false).then(
      () => 'ended',
      () => 'ended',
    );

    await h.close();
    await h.close(); // idempotent
    expect(await ended).toBe('ended');
    // The last connection closing checkpoints and removes the WAL file.
    expect(fs.existsSync(databasePath(dir) + '-wal')).toBe(false);
    await expect(fetch(`${h.origin}/`)).rejects.toThrow();

    const reopened = openSqliteFile(databasePath(dir), testKeyFor(dir), { readonly: true });
    try {
      const row = reopened.prepare('SELECT count(*) AS n FROM clients').get() as { n: number };
      expect(row.n).toBe(1);
    } finally {
      reopened.close();
    }
  });

  it('refuses to start on a port already in use, and leaves no database open', async () => {
    const dir = tempDir('needlelog-host-');
    await expect(
      startBrowserHost({ dataDir: dir, port: host.port, rendererDir: renderer.rendererDir, log }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(fs.existsSync(databasePath(dir) + '-wal')).toBe(false);
  });
});

describe('openInBrowser command', () => {
  const url = 'http://127.0.0.1:4321/#token=abc_DEF-123';
  it('passes the URL as one argument, never through a shell string', () => {
    expect(browserCommand(url, 'linux')).toEqual({ command: 'xdg-open', args: [url] });
    expect(browserCommand(url, 'darwin')).toEqual({ command: 'open', args: [url] });
    expect(browserCommand(url, 'win32')).toEqual({ command: 'cmd', args: ['/c', 'start', '""', url] });
    // Characters cmd.exe would interpret send the URL through rundll32 instead.
    const risky = 'http://127.0.0.1:4321/?a=1&calc';
    expect(browserCommand(risky, 'win32')).toEqual({
      command: 'rundll32',
      args: ['url.dll,FileProtocolHandler', risky],
    });
    expect(() => browserCommand('file:///etc/passwd', 'linux')).toThrow();
  });
});

describe('browser host: requests the browser drops (a tab reloaded or closed)', () => {
  it('log one short line at most, without a stack, and the host keeps serving', async () => {
    const lines: { message: string; err?: unknown }[] = [];
    const root = tempDir('needlelog-big-renderer-');
    // Large enough that the reply is still being sent when the browser goes away.
    fs.writeFileSync(path.join(root, 'index.html'), `<!doctype html>${' '.repeat(8_000_000)}`);
    const h = await startTestHost({
      dataDir: tempDir('needlelog-host-'),
      rendererDir: root,
      log: (message, err) => lines.push({ message, err }),
    });
    await signInHost(h);
    const settle = () => new Promise((r) => setTimeout(r, 300));
    const open = (opts: http.RequestOptions) => {
      const req = http.request({ host: '127.0.0.1', port: h.port, ...opts });
      req.on('error', () => {});
      return req;
    };
    try {
      // A POST whose body never finishes arriving.
      const post = open({
        method: 'POST',
        path: '/api/clients.list',
        headers: {
          Authorization: `Bearer ${h.secret}`,
          'Content-Type': 'application/json',
          'Content-Length': 1000,
        },
      });
      post.write('{"query":');
      await settle();
      post.destroy();
      await settle();
      expect(lines.map((l) => l.message)).toEqual([
        'browser host: POST /api/clients.list aborted by the browser',
      ]);

      // The progress stream of a tab: its end is normal, nothing is logged.
      const events = open({ method: 'GET', path: `/api/events?token=${h.secret}` });
      events.on('response', (res) => res.resume());
      events.end();
      await settle();
      events.destroy();
      await settle();
      expect(lines).toHaveLength(1);

      // The page itself, dropped half-way through its reply.
      const page = open({ method: 'GET', path: '/?token=SECRET-NOT-LOGGED' });
      page.on('response', (res) => res.once('data', () => page.destroy()));
      page.end();
      await settle();
      expect(lines.map((l) => l.message)).toEqual([
        'browser host: POST /api/clients.list aborted by the browser',
        'browser host: GET / aborted by the browser',
      ]);
      // Short lines: no error object (so no stack trace), nothing of the query.
      expect(lines.every((l) => l.err === undefined && !l.message.includes('\n'))).toBe(true);
      expect((await api(h, 'settings.get', {})).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
