// The layers of NeedleLog and what each may import: the data behind the `layers/imports` lint rule
// (lint/layerRules.js) and the README's layout table (a test keeps the two
// equal). Anything not listed is an error, so a new edge is a decision made here, not an accident.

/**
 * @typedef {object} Layer
 * @property {string} name          the folder (or group of files), as the README names it
 * @property {string[]} match       path prefixes (folders end in "/") relative to the repository root
 * @property {string} about         what lives there
 * @property {string[]} layers      the layers its files may import (its own is always allowed)
 * @property {string[]} packages    npm packages it may import (subpaths included)
 * @property {boolean} node         may import Node built-ins (always written `node:x`)
 * @property {boolean} [sql]        may run SQL: `prepare`, `exec`, `pragma`, `transaction` and SQL text
 *                                  (the `layers/no-sql` rule); only db/ and what measures or tests it
 */

/** @type {Layer[]} */
export const LAYERS = [
  {
    name: 'contract/',
    match: ['contract/'],
    about:
      "the API between UI and main side: zod schemas, the channel map, reply and error types, the clinical vocabulary; `format.ts` (every date and number, in the clinic's locale) and `warnings.ts` (the clinical warning rules, graded), used by the screen, the PDF and the services alike",
    layers: [],
    packages: ['zod'],
    node: false,
  },
  {
    name: 'charts/',
    match: ['charts/'],
    about:
      'pure chart specs (scales, series, styles) drawn as SVG by the renderer and as vectors in the PDF report',
    layers: ['contract/'],
    packages: [],
    node: false,
  },
  {
    name: 'db/',
    match: ['db/'],
    about: 'SQLite connection, numbered migrations and every SQL statement, plain and parameterised',
    layers: ['contract/'],
    packages: ['better-sqlite3-multiple-ciphers', 'uuid', '@actual-app/crdt'],
    node: true,
    sql: true,
  },
  {
    name: 'electron/services/',
    match: ['electron/services/'],
    about:
      'plain-Node services: validation, transactions, audit, clinical warnings, photos, backups, exports, charts data, demo',
    layers: ['db/', 'contract/', 'charts/', 'electron/services/*WorkerFromSource.mjs'],
    packages: [
      'zod',
      'sharp',
      'pdfkit',
      'dejavu-fonts-ttf',
      'csv-stringify',
      'heic-decode',
      'yauzl',
      'yazl',
      '@actual-app/crdt',
      'selfsigned',
    ],
    node: true,
  },
  {
    name: 'electron/services/*WorkerFromSource.mjs',
    match: [
      'electron/services/photoWorkerFromSource.mjs',
      'electron/services/dbWorkerFromSource.mjs',
      'electron/services/sync/snapshotWorkerFromSource.mjs',
    ],
    about:
      'start the photo, database and sync snapshot worker threads from TypeScript sources (tests, the browser host under tsx): register tsx in that thread; the built app starts `out/main/photoWorker.js`, `out/main/dbWorker.js` and `out/main/snapshotWorker.js`',
    layers: ['electron/services/'],
    packages: ['tsx'],
    node: false,
  },
  {
    name: 'electron/api/',
    match: ['electron/api/'],
    about:
      'the one dispatch both hosts call, one handler per channel, long-running jobs, the clinic runtime both hosts share',
    layers: ['electron/services/', 'db/', 'contract/'],
    packages: ['zod'],
    node: true,
  },
  {
    name: 'electron/shell/',
    match: ['electron/shell/'],
    about: 'the Electron main process and preload (hardened window, custom protocol, IPC): a host',
    layers: ['electron/api/', 'electron/services/', 'electron/dataDir.ts', 'contract/'],
    packages: ['electron'],
    node: true,
  },
  {
    name: 'electron/host/',
    match: ['electron/host/'],
    about: 'the browser host: the same API over HTTP on loopback with a per-launch secret',
    layers: ['electron/api/', 'electron/services/', 'electron/dataDir.ts', 'contract/'],
    packages: [],
    node: true,
  },
  {
    name: 'electron/cli/',
    match: ['electron/cli/'],
    about: 'the `needlelog` command (`needlelog web` builds a missing interface with electron-vite)',
    layers: [
      'electron/host/',
      'electron/api/',
      'electron/services/',
      'electron/dataDir.ts',
      'db/',
      'contract/',
    ],
    packages: ['electron-vite'],
    node: true,
  },
  {
    name: 'electron/dataDir.ts',
    match: ['electron/dataDir.ts', 'electron/types/'],
    about:
      'where the data folder is (shared by the shell and the command line); declarations for untyped packages',
    layers: [],
    packages: [],
    node: true,
  },
  {
    name: 'renderer/',
    match: ['renderer/'],
    about: 'the React UI; talks to data only through `window.needlelog.invoke`',
    layers: ['contract/', 'charts/'],
    packages: ['react', 'react-dom', 'signature_pad', '@tanstack/react-query'],
    node: false,
  },
  {
    name: 'bench/',
    match: ['bench/'],
    about:
      'the performance bench: figures printed, never asserted; bare-SQLite baselines beside the real path',
    layers: ['electron/host/', 'electron/services/', 'db/', 'contract/'],
    packages: ['@playwright/test', 'csv-stringify', 'sharp', 'better-sqlite3-multiple-ciphers'],
    node: true,
    sql: true,
  },
  {
    name: 'scripts/',
    match: ['scripts/', 'build/', 'bin/'],
    about: 'start, icon and security-scan scripts, the packaging hook, the `needlelog` launcher',
    layers: ['electron/cli/'],
    packages: [
      '@doyensec/csp-evaluator',
      '@doyensec/electronegativity',
      '@electron/fuses',
      '@electron/rebuild',
      'better-sqlite3-multiple-ciphers',
      'electron',
      'sharp',
      'tsx',
    ],
    node: true,
  },
  {
    name: 'tests/',
    match: ['tests/'],
    about:
      'unit, component, UI (Testing Library), integration, crash and end-to-end tests: they may read the database file directly',
    layers: [
      'renderer/',
      'charts/',
      'contract/',
      'db/',
      'electron/services/',
      'electron/api/',
      'electron/shell/',
      'electron/host/',
      'electron/cli/',
      'electron/dataDir.ts',
      'scripts/',
      'config',
    ],
    packages: [
      '@actual-app/crdt',
      '@axe-core/playwright',
      '@electron/fuses',
      '@playwright/test',
      '@testing-library/react',
      '@testing-library/user-event',
      'app-builder-lib',
      'better-sqlite3-multiple-ciphers',
      'csv-parse',
      'electron',
      'electron-vite',
      'eslint',
      'fast-check',
      'js-yaml',
      'prettier',
      'react',
      'sharp',
      'vite',
      'vitest',
      'yauzl',
      'yazl',
      'zod',
    ],
    node: true,
    sql: true,
  },
  {
    name: 'config',
    match: [
      'eslint.config.js',
      'electron.vite.config.ts',
      'playwright.config.ts',
      'vitest.config.ts',
      'lint/',
    ],
    about: 'tool configuration and these lint rules',
    layers: ['contract/'],
    packages: [
      '@eslint/js',
      '@vitejs/plugin-react',
      '@playwright/test',
      'electron-vite',
      'eslint-plugin-react-hooks',
      'globals',
      'prettier',
      'typescript-eslint',
      'vite',
      'vitest',
    ],
    node: true,
  },
];

// An import names `x.js` for the source file `x.ts`: files are compared without their extension.
const stripExtension = (file) => file.replace(/\.[cm]?[jt]sx?$/, '');

/** The layer a repository-relative path (forward slashes) belongs to; the longest match wins. */
export function layerOf(file) {
  let best;
  let bestLength = -1;
  for (const layer of LAYERS) {
    for (const prefix of layer.match) {
      const hit = prefix.endsWith('/')
        ? file.startsWith(prefix)
        : stripExtension(file) === stripExtension(prefix);
      if (hit && prefix.length > bestLength) {
        best = layer;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

export const README_START = '<!-- layers:start -->';
export const README_END = '<!-- layers:end -->';

const code = (s) => `\`${s}\``;

/** The README's layout table, generated from LAYERS (before prettier aligns it). */
export function layoutTable() {
  const rows = LAYERS.map((l) => [
    l.match.map(code).join(', '),
    l.about,
    l.layers.map(code).join(', ') || '—',
    [...l.packages.map(code), ...(l.node ? ['Node built-ins'] : [])].join(', ') || '—',
  ]);
  const header = ['layer', 'what lives there', 'may import (besides itself)', 'packages'];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

// `node lint/layers.js` rewrites the README's table from LAYERS.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const fs = await import('node:fs');
  const prettier = await import('prettier');
  const readme = new URL('../README.md', import.meta.url);
  const text = fs.readFileSync(readme, 'utf8');
  const [before, rest] = text.split(README_START);
  const after = rest.slice(rest.indexOf(README_END));
  const table = await prettier.format(layoutTable(), {
    parser: 'markdown',
    filepath: 'README.md',
    ...(await prettier.resolveConfig(readme)),
  });
  fs.writeFileSync(readme, `${before}${README_START}\n\n${table}\n${after}`);
}
