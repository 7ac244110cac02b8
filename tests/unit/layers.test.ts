// The import allow-list (lint/layers.js, lint/layerRules.js) proved on probe files: each forbidden
// edge is linted with the project's real ESLint config at a path inside the layer and must fail;
// one allowed edge per layer must lint clean. The README's table must equal the rule's data.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import prettier from 'prettier';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS, README_END, README_START, layerOf, layoutTable } from '../../lint/layers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

/** The messages of the layer rule for `code` linted as if it were the file `file` (repo-relative). */
async function lintAs(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result!.messages;
}

async function layerErrors(file: string, code: string) {
  return (await lintAs(file, code)).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

// [probe file, code, a phrase the error must contain]
const FORBIDDEN: [string, string, string][] = [
  // The renderer: data only through the contract, never main-side code, packages or Node.
  ['renderer/src/probe.ts', `import { openDatabase } from '../../db/connection.js';`, 'may not import db/'],
  ['renderer/src/probe.ts', `export const db = import('../../db/connection.js');`, 'may not import db/'],
  ['renderer/src/probe.ts', `export const fs = require('fs');`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `export const fs = require('node:fs');`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `import type { Channel } from '../../contract';`, 'has no extension'],
  ['renderer/src/probe.ts', `import type { Channel } from '../../contract/channels';`, 'has no extension'],
  ['renderer/src/probe.ts', `import { z } from 'zod';`, 'may not import the package zod'],
  ['renderer/src/probe.ts', `import { gzipSync } from 'zlib';`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `import { EventEmitter } from 'events';`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `import PDFDocument from 'pdfkit';`, 'may not import the package pdfkit'],
  ['renderer/src/probe.ts', `import { ipcRenderer } from 'electron';`, 'may not import the package electron'],
  ['renderer/src/probe.ts', `import sharp from 'sharp';`, 'may not import the package sharp'],
  [
    'renderer/src/probe.ts',
    `import Database from 'better-sqlite3-multiple-ciphers';`,
    'may not import the package better-sqlite3-multiple-ciphers',
  ],
  [
    'renderer/src/probe.ts',
    `import { createServices } from '../../electron/services/index.js';`,
    'may not import electron/services/',
  ],
  [
    'renderer/src/probe.ts',
    `export * from '../../electron/api/dispatch.js';`,
    'may not import electron/api/',
  ],
  ['renderer/src/probe.ts', `import fs = require('node:fs');\nexport { fs };`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `export type Fs = typeof import('node:fs');`, 'no Node built-ins'],
  ['renderer/src/probe.ts', `const name = 'fs';\nexport const m = import(name);`, 'literal path'],
  [
    'renderer/src/probe.ts',
    `export const p = require.resolve('../../db/connection.js');`,
    'may not import db/',
  ],
  [
    'renderer/src/probe.ts',
    `export const w = new URL('../../db/connection.js', import.meta.url);`,
    'may not import db/',
  ],
  [
    'renderer/src/probe.tsx',
    `import { App } from '/work/renderer/src/App.js';\nexport { App };`,
    'absolute path',
  ],
  // charts/: pure TypeScript on both sides.
  [
    'charts/probe.ts',
    `import { useState } from 'react';\nexport { useState };`,
    'may not import the package react',
  ],
  [
    'charts/probe.ts',
    `import { App } from '../renderer/src/App.js';\nexport { App };`,
    'may not import renderer/',
  ],
  ['charts/probe.ts', `import { stmt } from '../db/statements.js';\nexport { stmt };`, 'may not import db/'],
  [
    'charts/probe.ts',
    `import PDFDocument from 'pdfkit';\nexport { PDFDocument };`,
    'may not import the package pdfkit',
  ],
  ['charts/probe.ts', `import path from 'node:path';\nexport { path };`, 'no Node built-ins'],
  // contract/: zod and nothing else.
  [
    'contract/probe.ts',
    `import { linearScale } from '../charts/scale.js';\nexport { linearScale };`,
    'may not import charts/',
  ],
  ['contract/probe.ts', `import sharp from 'sharp';\nexport { sharp };`, 'may not import the package sharp'],
  ['contract/probe.ts', `import { newId } from '../db/ids.js';\nexport { newId };`, 'may not import db/'],
  ['contract/probe.ts', `import crypto from 'crypto';\nexport { crypto };`, 'no Node built-ins'],
  // db/: below everything but the contract.
  [
    'db/probe.ts',
    `import { AppError } from '../electron/services/errors.js';\nexport { AppError };`,
    'may not import electron/services/',
  ],
  ['db/probe.ts', `import { app } from 'electron';\nexport { app };`, 'may not import the package electron'],
  [
    'db/probe.ts',
    `import { linearScale } from '../charts/scale.js';\nexport { linearScale };`,
    'may not import charts/',
  ],
  ['db/probe.ts', `import fs from 'fs';\nexport { fs };`, 'Write Node built-ins as "node:fs"'],
  // Services: plain Node below the hosts, the api, the CLI and the shell.
  [
    'electron/services/probe.ts',
    `import { dispatch } from '../api/dispatch.js';\nexport { dispatch };`,
    'may not import electron/api/',
  ],
  [
    'electron/services/probe.ts',
    `export const cli = import('../cli/main.js');`,
    'may not import electron/cli/',
  ],
  [
    'electron/services/probe.ts',
    `import { startBrowserHost } from '../host/browserHost.js';\nexport { startBrowserHost };`,
    'may not import electron/host/',
  ],
  [
    'electron/services/exports/probe.ts',
    `import { registerIpc } from '../../shell/ipc.js';\nexport { registerIpc };`,
    'may not import electron/shell/',
  ],
  [
    'electron/services/probe.ts',
    `import { app } from 'electron';\nexport { app };`,
    'may not import the package electron',
  ],
  [
    'electron/services/probe.ts',
    `import { resolveDataDir } from '../dataDir.js';\nexport { resolveDataDir };`,
    'may not import electron/dataDir.ts',
  ],
  [
    'electron/services/probe.ts',
    `import { createRequire } from 'node:module';\nexport const f = createRequire(import.meta.url).resolve('left-pad/index.js');`,
    'may not import the package left-pad',
  ],
  [
    'electron/services/probe.ts',
    `import { createRequire } from 'node:module';\nconst load = createRequire(import.meta.url);\nexport const m = load('../cli/main.js');`,
    'may not import electron/cli/',
  ],
  [
    'electron/services/probe.ts',
    'const name = "x.js";\nexport const m = import(`../host/${name}`);',
    'may not import electron/host/',
  ],
  [
    'electron/services/probe.ts',
    'import { createRequire } from "node:module";\nconst name = "x";\nexport const f = createRequire(import.meta.url).resolve(`left-pad/${name}`);',
    'may not import the package left-pad',
  ],
  // The api: under the hosts.
  [
    'electron/api/probe.ts',
    `import { startBrowserHost } from '../host/browserHost.js';\nexport { startBrowserHost };`,
    'may not import electron/host/',
  ],
  [
    'electron/api/probe.ts',
    `import { registerIpc } from '../shell/ipc.js';\nexport { registerIpc };`,
    'may not import electron/shell/',
  ],
  // The hosts: never db/ directly, never each other, never the renderer.
  [
    'electron/host/probe.ts',
    `import { openDatabase } from '../../db/connection.js';\nexport { openDatabase };`,
    'may not import db/',
  ],
  ['electron/host/probe.ts', `export const db = import('../../db/connection.js');`, 'may not import db/'],
  [
    'electron/host/probe.ts',
    `import Database from 'better-sqlite3-multiple-ciphers';\nexport { Database };`,
    'may not import the package better-sqlite3-multiple-ciphers',
  ],
  [
    'electron/shell/probe.ts',
    `import { DamagedDatabaseError } from '../../db/connection.js';\nexport { DamagedDatabaseError };`,
    'may not import db/',
  ],
  [
    'electron/shell/probe.ts',
    `import { App } from '../../renderer/src/App.js';\nexport { App };`,
    'may not import renderer/',
  ],
  [
    'electron/shell/probe.ts',
    `import { startBrowserHost } from '../host/browserHost.js';\nexport { startBrowserHost };`,
    'may not import electron/host/',
  ],
  // The CLI: no Electron, no UI.
  [
    'electron/cli/probe.ts',
    `import { registerIpc } from '../shell/ipc.js';\nexport { registerIpc };`,
    'may not import electron/shell/',
  ],
  [
    'electron/cli/probe.ts',
    `import { app } from 'electron';\nexport { app };`,
    'may not import the package electron',
  ],
  [
    'electron/dataDir.ts',
    `import { openDatabase } from '../db/connection.js';\nexport { openDatabase };`,
    'may not import db/',
  ],
  // bench, scripts, tests and config have allow-lists too.
  [
    'bench/probe.ts',
    `import { App } from '../renderer/src/App.js';\nexport { App };`,
    'may not import renderer/',
  ],
  [
    'scripts/probe.mjs',
    `import { openDatabase } from '../db/connection.js';\nexport { openDatabase };`,
    'may not import db/',
  ],
  [
    'scripts/probe.mjs',
    `import leftPad from 'left-pad';\nexport { leftPad };`,
    'may not import the package left-pad',
  ],
  [
    'tests/unit/probe.test.ts',
    `import leftPad from 'left-pad';\nexport { leftPad };`,
    'may not import the package left-pad',
  ],
  [
    'tests/unit/probe.test.ts',
    `import { x } from '../../../outside.js';\nexport { x };`,
    'outside the repository',
  ],
  [
    'vitest.config.ts',
    `import { App } from './renderer/src/App.js';\nexport { App };`,
    'may not import renderer/',
  ],
  // A file in a folder no layer claims.
  ['misc/probe.ts', `export const x = 1;`, 'belongs to no layer'],
  ['tests/unit/probe.test.ts', `import { x } from '../../misc/x.js';\nexport { x };`, 'belongs to no layer'],
];

// [probe file, code]: one allowed edge per layer, which must lint clean (no message at all).
const ALLOWED: [string, string][] = [
  [
    'renderer/src/probe.tsx',
    `import type { Channel } from '../../contract/channels.js';\nimport { linearScale } from '../../charts/scale.js';\nimport { useState } from 'react';\nexport type C = Channel;\nexport { linearScale, useState };`,
  ],
  ['charts/probe.ts', `import type { Channel } from '../contract/channels.js';\nexport type C = Channel;`],
  ['contract/probe.ts', `import { z } from 'zod';\nexport const Probe = z.string();`],
  [
    'db/probe.ts',
    `import Database from 'better-sqlite3-multiple-ciphers';\nimport fs from 'node:fs';\nexport { Database, fs };`,
  ],
  [
    'electron/services/probe.ts',
    `import { openDatabase } from '../../db/connection.js';\nimport { linearScale } from '../../charts/scale.js';\nimport sharp from 'sharp';\nexport { openDatabase, linearScale, sharp };`,
  ],
  [
    'electron/api/probe.ts',
    `import { createServices } from '../services/index.js';\nexport { createServices };`,
  ],
  [
    'electron/host/probe.ts',
    `import { dispatch } from '../api/dispatch.js';\nimport http from 'node:http';\nexport { dispatch, http };`,
  ],
  [
    'electron/shell/probe.ts',
    `import { app } from 'electron';\nimport { openClinic } from '../api/clinic.js';\nimport { resolveDataDir } from '../dataDir.js';\nexport { app, openClinic, resolveDataDir };`,
  ],
  [
    'electron/cli/probe.ts',
    `import { openDatabase } from '../../db/connection.js';\nexport const host = import('../host/browserHost.js');\nexport { openDatabase };`,
  ],
  [
    'bench/probe.ts',
    `import Database from 'better-sqlite3-multiple-ciphers';\nimport { createServices } from '../electron/services/index.js';\nexport { Database, createServices };`,
  ],
  [
    'scripts/probe.mjs',
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const electron = require.resolve('electron');`,
  ],
  [
    'tests/unit/probe.test.ts',
    `import { App } from '../../renderer/src/App.js';\nimport { expect } from 'vitest';\nexport { App, expect };`,
  ],
  ['vitest.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({});`],
];

describe('the import allow-list', () => {
  const probes = FORBIDDEN.map(([file, code, phrase]) => ({ file, code, phrase, edge: code.split('\n')[0] }));
  it.each(probes)('$file: $edge fails', async ({ file, code, phrase }) => {
    const errors = await layerErrors(file, code);
    expect(errors.length, `expected a layer error for ${file}`).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(phrase);
  });

  it.each(ALLOWED)('%s: an allowed edge lints clean', async (file, code) => {
    expect(await lintAs(file, code)).toEqual([]);
  });

  it('a file directly in electron/ other than dataDir.ts belongs to no layer', async () => {
    expect((await layerErrors('electron/probe-not-a-layer-file.ts', 'export {};')).join()).toContain(
      'belongs to no layer',
    );
  });

  it('bans every Node built-in, with and without node:, in the renderer, charts/ and contract/', async () => {
    const names = [
      ...new Set(builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/^node:/, ''))),
    ];
    const specifiers = names.flatMap((m) => [m, `node:${m}`]);
    const code = specifiers.map((s, i) => `import * as m${i} from '${s}';`).join('\n') + '\nexport {};';
    for (const file of ['renderer/src/probe.ts', 'charts/probe.ts', 'contract/probe.ts']) {
      const messages = (await lintAs(file, code)).filter((m) => m.ruleId === 'layers/imports');
      expect(
        messages.map((m) => m.line).sort((a, b) => a - b),
        file,
      ).toEqual(specifiers.map((_, i) => i + 1));
      expect(messages.every((m) => m.message.includes('no Node built-ins'))).toBe(true);
    }
  });

  it('names only layers that exist and packages that are installed', () => {
    const names = new Set(LAYERS.map((l) => l.name));
    for (const layer of LAYERS) {
      for (const other of layer.layers) expect(names.has(other), `${layer.name} → ${other}`).toBe(true);
      for (const pkg of layer.packages) {
        expect(
          fs.existsSync(path.join(repo, 'node_modules', pkg, 'package.json')),
          `${layer.name}: ${pkg}`,
        ).toBe(true);
      }
    }
  });

  it('every source file of the repository belongs to a layer', () => {
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: repo,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(js|mjs|cjs|ts|tsx|mts|cts)$/.test(f));
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => !layerOf(f))).toEqual([]);
  });

  it("the README's layout table is the rule's data", async () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf(README_START) + README_START.length,
      readme.indexOf(README_END),
    );
    const expected = await prettier.format(layoutTable(), {
      parser: 'markdown',
      ...(await prettier.resolveConfig(path.join(repo, 'README.md'))),
    });
    expect(section.trim(), 'run `node lint/layers.js` to rewrite the README table').toBe(expected.trim());
  });
});

describe('the renderer runs contract schemas in one module only', () => {
  const restricted = async (file: string, code: string) =>
    (await lintAs(file, code))
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.message);

  it('refuses a value import of a schema-building contract module anywhere else in the renderer', async () => {
    for (const code of [
      `import { SessionCreate } from '../../../contract/schemas.js';\nexport const s = SessionCreate;`,
      `import { channels } from '../../../contract/channels.js';\nexport const c = channels;`,
      `import '../../../contract/jitless.js';`,
    ]) {
      expect(await restricted('renderer/src/pages/probe.ts', code), code).toEqual([
        expect.stringContaining('Import only types'),
      ]);
    }
    expect(
      await restricted(
        'renderer/src/pages/probe.ts',
        `import type { Session } from '../../../contract/schemas.js';`,
      ),
    ).toEqual([]);
  });

  it('lets forms/checkInput.ts run them, zod switched to jitless first', async () => {
    const file = 'renderer/src/forms/checkInput.ts';
    expect(await restricted(file, fs.readFileSync(path.join(repo, file), 'utf8'))).toEqual([]);
    expect(fs.readFileSync(path.join(repo, file), 'utf8')).toMatch(
      /^(\/\/[^\n]*\n)*import '\.\.\/\.\.\/\.\.\/contract\/jitless\.js';/,
    );
  });
});
