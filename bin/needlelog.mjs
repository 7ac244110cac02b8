#!/usr/bin/env node
// The CLI runs from TypeScript sources through tsx, so it needs no build step in the repo. `web`
// (the browser host, which serves the built interface anyway) starts from the built CLI in out/main
// when it is there and no source is newer than it (builtCli.mjs): nothing to transpile at each start.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBuild } from './builtCli.mjs';

const trace =
  process.env.NEEDLELOG_TRACE_START === '1'
    ? (step, at = performance.timeOrigin + performance.now()) =>
        process.stderr.write(`[needlelog start] ${step} ${at.toFixed(1)}\n`)
    : () => {};
trace('node started', performance.timeOrigin);
trace('bin running');

const argv = process.argv.slice(2);
const build = argv[0] === 'web' ? currentBuild(fileURLToPath(new URL('..', import.meta.url))) : null;
let main;
if (build) {
  // eslint-disable-next-line layers/imports -- the build of electron/cli/ (out/ is build output, in no layer)
  ({ main } = await import(pathToFileURL(build).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
trace(build ? 'cli loaded (built)' : 'cli loaded (sources)');
process.exitCode = await main(argv);
