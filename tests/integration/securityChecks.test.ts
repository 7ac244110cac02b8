/**
 * Security checks that run in `npm test` (as part of `npm run test:unit`):
 *  - the renderer bundle, built here from the current sources with the project's own electron-vite
 *    config (into a temp folder: `out/` is left alone, and the check does not depend on a stale or
 *    missing build, since `npm test` runs unit tests before `npm run build`), has no eval, no
 *    Function constructor and no string timers, and its index.html no inline script;
 *  - the CSP (contract/csp.ts, the <meta> in the built index.html, and the header the browser host
 *    sends) allows no inline or eval'd script and nothing remote;
 *  - the browser host binds 127.0.0.1 and nothing else, whatever port it is given.
 * Electronegativity over the built main/preload runs after the build (scripts/electronegativity.mjs).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, type InlineConfig } from 'vite';
import { signInHost } from '../support/signIn.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../contract/csp.js';
import { startTestHost } from '../support/host.js';
import { tempDir } from '../support/clinic.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

let rendererDir: string;
let bundles: { file: string; code: string }[];

beforeAll(async () => {
  rendererDir = tempDir('needlelog-renderer-build-');
  dirs.push(rendererDir);
  const previous = process.env.NODE_ENV_ELECTRON_VITE;
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  try {
    const resolved = await resolveConfig({}, 'build', 'production');
    const renderer = resolved.config?.renderer as InlineConfig | undefined;
    if (!renderer) throw new Error('electron.vite.config.ts has no renderer config');
    await build({
      ...renderer,
      logLevel: 'warn',
      build: { ...renderer.build, outDir: rendererDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV_ELECTRON_VITE;
    else process.env.NODE_ENV_ELECTRON_VITE = previous;
  }
  const assets = path.join(rendererDir, 'assets');
  bundles = fs
    .readdirSync(assets)
    .filter((f) => /\.(m?js)$/.test(f))
    .map((f) => ({ file: f, code: fs.readFileSync(path.join(assets, f), 'utf8') }));
}, 120_000);

/**
 * Code that compiles strings at run time. None is allowed, and none is whitelisted: React 19's
 * production build and our code have none. If a dependency ever brings one, whitelist it here by its
 * exact matched text, with the reason, rather than loosening the patterns.
 */
const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  {
    name: 'eval',
    pattern: /(?<![\w$.])eval\s*\(|\(\s*0\s*,\s*eval\s*\)|\bwindow\.eval\b|globalThis\.eval\b/g,
  },
  { name: 'new Function', pattern: /\bnew\s+Function\s*\(/g },
  { name: 'Function constructor call', pattern: /(?<![\w$.])Function\s*\(/g },
  // Held in a variable first (`const F = Function; new F(code)`), as zod's eval probe does.
  { name: 'Function constructor taken', pattern: /(?<![\w$.])Function(?![\w$]|\s*\()/g },
  { name: 'constructor called with a code string', pattern: /\.constructor\s*\(\s*["'`]/g },
  { name: 'string timer', pattern: /\bset(?:Timeout|Interval|Immediate)\s*\(\s*["'`]/g },
];
const WHITELIST: { file: RegExp; text: string; reason: string }[] = [];

describe('the built renderer bundle', () => {
  it('was built from the current sources', () => {
    expect(bundles.length).toBeGreaterThan(0);
    expect(bundles.reduce((n, b) => n + b.code.length, 0)).toBeGreaterThan(10_000);
  });

  it('contains no eval, no Function constructor, no string timers', () => {
    const findings: string[] = [];
    for (const { file, code } of bundles) {
      for (const { name, pattern } of FORBIDDEN) {
        for (const m of code.matchAll(pattern)) {
          const context = code.slice(Math.max(0, (m.index ?? 0) - 60), (m.index ?? 0) + 60);
          if (WHITELIST.some((w) => w.file.test(file) && context.includes(w.text))) continue;
          findings.push(`${file}: ${name}: …${context}…`);
        }
      }
    }
    expect(findings).toEqual([]);
  });

  it('is loaded by an index.html without inline scripts or handlers, under the CSP meta tag', () => {
    const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script is an external file').toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // onclick=, onload=, …
    expect(html).not.toMatch(/javascript:/i);
    const meta = /<meta[^>]+http-equiv="Content-Security-Policy"[^>]+content="([^"]+)"/i.exec(html);
    expect(meta?.[1]?.replace(/&#39;|&apos;/g, "'")).toBe(META_CONTENT_SECURITY_POLICY);
  });
});

/** Directive name → source list. */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Sources that are neither remote nor a wildcard: keywords, and local schemes only. */
const LOCAL_SOURCES = new Set(["'self'", "'none'", 'data:', 'blob:', 'needlelog-photo:']);
const SCRIPT_SOURCES = new Set(["'self'", "'none'"]);

function cspProblems(policy: string): string[] {
  const problems: string[] = [];
  const d = parseCsp(policy);
  const scriptSrc = d.get('script-src') ?? d.get('default-src');
  if (!scriptSrc) problems.push('no script-src and no default-src: scripts are unrestricted');
  for (const s of scriptSrc ?? []) {
    if (!SCRIPT_SOURCES.has(s.toLowerCase())) problems.push(`script-src allows ${s}`);
  }
  for (const name of ['script-src-elem', 'script-src-attr', 'worker-src']) {
    for (const s of d.get(name) ?? []) {
      if (!SCRIPT_SOURCES.has(s.toLowerCase())) problems.push(`${name} allows ${s}`);
    }
  }
  if (!d.has('default-src')) problems.push('no default-src fallback');
  if (d.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  for (const [name, sources] of d) {
    for (const s of sources) {
      if (!LOCAL_SOURCES.has(s.toLowerCase())) problems.push(`${name} allows non-local source ${s}`);
    }
  }
  return problems;
}

describe('the Content-Security-Policy', () => {
  it('allows no inline or eval’d script and nothing remote (contract/csp.ts)', () => {
    expect(cspProblems(CONTENT_SECURITY_POLICY)).toEqual([]);
    expect(cspProblems(META_CONTENT_SECURITY_POLICY)).toEqual([]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(
      /unsafe-(inline|eval|hashes)|wasm-unsafe-eval|strict-dynamic/,
    );
  });

  it('would catch the mistakes it is there for', () => {
    const found = (code: string) =>
      FORBIDDEN.filter((f) => new RegExp(f.pattern).test(code)).map((f) => f.name);
    expect(found('try{let e=Function;new e(``)}catch{}')).toEqual(['Function constructor taken']);
    expect(found('try{return Function(``),!0}catch{return!1}')).toEqual(['Function constructor call']);
    expect(found('this._getListenerFunctions();let FunctionX=1')).toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'")).toContain(
      "script-src allows 'unsafe-inline'",
    );
    expect(cspProblems("default-src 'self' 'unsafe-eval'; object-src 'none'")).toContain(
      "script-src allows 'unsafe-eval'",
    );
    expect(cspProblems("default-src 'self'; img-src https://cdn.example.com; object-src 'none'")).toContain(
      'img-src allows non-local source https://cdn.example.com',
    );
    expect(cspProblems("img-src 'self'")).toContain(
      'no script-src and no default-src: scripts are unrestricted',
    );
  });

  it('is the header the browser host actually sends, on pages and API replies alike', async () => {
    const dataDir = tempDir('needlelog-sec-');
    dirs.push(dataDir);
    const host = await startTestHost({ dataDir, rendererDir, log: () => {} });
    try {
      await signInHost(host);
      const page = await fetch(`${host.origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const api = await fetch(`${host.origin}/api/settings.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.secret}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(api.status).toBe(200);
      expect(api.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(api.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await host.close();
    }
  });
});

/** Tries a TCP connection; anything but a completed handshake counts as "not reachable". */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    // A dropped SYN (firewalled interface) is "not reachable" too; this only bounds the wait.
    socket.setTimeout(3_000, () => done(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every address of this machine that is not 127.0.0.1, as connect() wants it. */
function otherAddresses(): string[] {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => i !== undefined)
    .map((i) => (i.family === 'IPv6' && i.scopeid ? `${i.address}%${i.scopeid}` : i.address))
    .filter((a) => a !== '127.0.0.1');
  // ::1 and another loopback address answer only if the server bound a wildcard or the wrong host.
  const extra = ['::1'];
  if (process.platform === 'linux') extra.push('127.0.0.2');
  return [...new Set([...extra, ...found])];
}

describe('the browser host binds 127.0.0.1 only', () => {
  const cases: { label: string; port: () => Promise<number | undefined> }[] = [
    { label: 'no port option (random)', port: () => Promise.resolve(undefined) },
    { label: 'port 0 (random)', port: () => Promise.resolve(0) },
    { label: 'a fixed port', port: freePort },
  ];

  for (const c of cases) {
    it(`with ${c.label}: bound to 127.0.0.1, unreachable on every other address`, async () => {
      const dataDir = tempDir('needlelog-bind-');
      dirs.push(dataDir);
      const port = await c.port();
      const host = await startTestHost({
        dataDir,
        rendererDir,
        log: () => {},
        ...(port === undefined ? {} : { port }),
      });
      try {
        expect(host.address).toBe('127.0.0.1');
        if (port) expect(host.port).toBe(port);
        expect(new URL(host.origin).hostname).toBe('127.0.0.1');
        expect(await reachable('127.0.0.1', host.port)).toBe(true);
        const others = otherAddresses();
        const answered: string[] = [];
        for (const address of others) {
          if (await reachable(address, host.port)) answered.push(address);
        }
        expect(answered, `tried ${others.join(', ')}`).toEqual([]);
      } finally {
        await host.close();
      }
    }, 60_000);
  }

  it('refuses a port option that is not a whole port number', async () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      const dataDir = tempDir('needlelog-bind-');
      dirs.push(dataDir);
      await expect(startTestHost({ dataDir, rendererDir, port, log: () => {} })).rejects.toThrow(/Port/);
    }
  });
});
