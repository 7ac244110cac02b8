import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './contract/csp.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// Native and optional-native modules are loaded from node_modules at run time, never bundled.
// pdfkit too: it reads its standard-font metrics (data/*.afm) from its own folder at run time.
// @actual-app/crdt too: its class static blocks are beyond the security scanner's parser, which
// would then miss the shell's own navigation and permission checks in the same bundle.
const NATIVE = ['better-sqlite3-multiple-ciphers', 'sharp', /^@img\//, 'pdfkit', '@actual-app/crdt'];

/**
 * electron-vite forces `base: './'` for production renderer builds. We serve the renderer at the
 * root of a fixed origin in both hosts (`app://needlelog/` under Electron, `http://127.0.0.1:PORT/`
 * in the browser host), so absolute `/assets/…` URLs work everywhere, including on deep client-side
 * routes where './' would break after a reload.
 */
const absoluteBase: Plugin = {
  name: 'needlelog:absolute-base',
  enforce: 'post',
  config: () => ({ base: '/' }),
};

/**
 * Writes the one CSP (contract/csp.ts) into the built index.html. Only for builds: the dev server's
 * React refresh needs an inline script, which the policy rightly forbids.
 */
const cspMeta: Plugin = {
  name: 'needlelog:csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
};

/**
 * zod's two uses of the Function constructor, cut out of the renderer's bundle: its eval probe
 * (util.js `allowsEval`) and its parser compiler (doc.js `compile`). The renderer runs zod jitless
 * (contract/jitless.ts), so both are dead code there; cut, the bundle holds no Function constructor
 * for the CSP to refuse or the bundle scan to find. A zod whose text no longer matches fails the
 * build, so an update cannot bring them back unseen.
 */
const ZOD_CUTS: { file: RegExp; from: string; to: string }[] = [
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/,
    from: 'const F = Function;\n        new F("");\n        return true;',
    to: 'return false;',
  },
  {
    file: /[\\/]zod[\\/]v4[\\/]core[\\/]doc\.js$/,
    from: 'const F = Function;',
    to: 'throw new Error("The renderer runs zod jitless: no parser is compiled.");',
  },
];
const zodWithoutEval: Plugin = {
  name: 'needlelog:zod-without-eval',
  apply: 'build',
  transform(code, id) {
    const cut = ZOD_CUTS.find((c) => c.file.test(id));
    if (!cut) return null;
    if (!code.includes(cut.from)) {
      throw new Error(`${id} no longer has the text needlelog:zod-without-eval cuts: check zod's update.`);
    }
    return { code: code.replace(cut.from, cut.to), map: null };
  },
};

/**
 * Writes out/main/build-started: when this build of the main side began (ms). bin/builtCli.mjs
 * compares the sources with it, not with the files' own times (written at the end): a source saved
 * or checked out while the build ran makes the build stale.
 */
function buildStartStamp(): Plugin {
  let started = 0;
  return {
    name: 'needlelog:build-start-stamp',
    apply: 'build',
    buildStart() {
      started = Date.now();
    },
    writeBundle(options) {
      if (options.dir) fs.writeFileSync(join(options.dir, 'build-started'), String(started));
    },
  };
}

export default defineConfig({
  main: {
    plugins: [buildStartStamp()],
    build: {
      outDir: resolve(root, 'out/main'),
      // Bundle our own code and pure-JS dependencies (zod, uuid); keep native ones external.
      externalizeDeps: false,
      sourcemap: true,
      rolldownOptions: {
        // The photo, database and sync snapshot worker threads are entries of their own, and so is the CLI; shared code goes into chunks beside the entries,
        // so `new URL('./photoWorker.js', import.meta.url)` finds it from any of them.
        input: {
          index: resolve(root, 'electron/shell/main.ts'),
          photoWorker: resolve(root, 'electron/services/photoWorker.ts'),
          dbWorker: resolve(root, 'electron/services/dbWorker.ts'),
          snapshotWorker: resolve(root, 'electron/services/sync/snapshotWorker.ts'),
          // The CLI, for `needlelog web` to start from (bin/needlelog.mjs): no TypeScript to
          // transpile at every start. The other commands run from sources.
          cli: resolve(root, 'electron/cli/main.ts'),
        },
        output: { chunkFileNames: '[name]-[hash].js' },
        external: NATIVE,
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      sourcemap: true,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/shell/preload.ts') },
        // Sandboxed preloads are CommonJS scripts: ES module preloads need sandbox: false.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), absoluteBase, cspMeta, zodWithoutEval],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // The security scan (electronegativity's parser) reads up to ES2021: class private fields
      // (TanStack Query's) are lowered so that it reads every line of the bundle. Electron would
      // run them as they are.
      target: 'es2021',
      minify: true,
      sourcemap: true,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
