import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureInterfaceBuilt, interfaceBuildCommand } from '../../electron/cli/interfaceBuild.js';
import { tempDir } from '../support/clinic.js';

/** A build step as a real child process: a tiny Node script standing in for `electron-vite build`. */
const nodeBuild = (script: string) => ({ command: process.execPath, args: ['-e', script], cwd: tempDir() });

function collect() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, say: (l: string) => out.push(l), warn: (l: string) => err.push(l) };
}

describe('the interface is built on demand for `needlelog web`', () => {
  it('builds a missing interface once, saying so, and then leaves a built one alone', async () => {
    const renderer = path.join(tempDir(), 'out', 'renderer');
    const build = nodeBuild(
      `const fs = require('fs'); fs.mkdirSync(${JSON.stringify(renderer)}, { recursive: true });` +
        `fs.writeFileSync(${JSON.stringify(path.join(renderer, 'index.html'))}, '<!doctype html>built');`,
    );
    const first = collect();
    expect(await ensureInterfaceBuilt(renderer, build, first.say, first.warn)).toBe(true);
    expect(fs.readFileSync(path.join(renderer, 'index.html'), 'utf8')).toBe('<!doctype html>built');
    expect(first.out[0]).toBe(
      "Building NeedleLog's interface for this first run (once; this can take a minute)…",
    );
    expect(first.out.at(-1)).toMatch(/^Interface built in \d+ s\.$/);
    expect(first.err).toEqual([]);

    const failing = nodeBuild('process.exit(9)');
    const second = collect();
    expect(await ensureInterfaceBuilt(renderer, failing, second.say, second.warn)).toBe(true);
    expect(second.out).toEqual([]); // already built: the build is not run
  });

  it('says in plain words why when the build fails or the build tools are missing', async () => {
    const renderer = path.join(tempDir(), 'renderer');
    const failing = collect();
    const ok = await ensureInterfaceBuilt(
      renderer,
      nodeBuild(`console.error('vite: cannot find renderer/index.html'); process.exit(1)`),
      failing.say,
      failing.warn,
    );
    expect(ok).toBe(false);
    expect(failing.err.join('\n')).toBe(
      `NeedleLog's interface could not be built; run "npm run build" to see why.\nvite: cannot find renderer/index.html`,
    );

    const missing = collect();
    expect(await ensureInterfaceBuilt(renderer, null, missing.say, missing.warn)).toBe(false);
    expect(missing.err[0]).toMatch(
      /build tools are not installed here: run "npm install", then "npm run build"\.$/,
    );
    expect(fs.existsSync(renderer)).toBe(false);
  });

  it("uses the repository's own electron-vite, and knows when there is none", () => {
    const command = interfaceBuildCommand(path.resolve('.'));
    expect(command).not.toBeNull();
    expect(fs.existsSync(command!.args[0]!)).toBe(true);
    expect(command!.args).toEqual([
      expect.stringMatching(/electron-vite[\\/]bin[\\/]electron-vite\.js$/),
      'build',
    ]);
    expect(interfaceBuildCommand(tempDir())).toBeNull();
  });

  it('`needlelog web` serves the app itself, not a "not built yet" page (building it first where needed)', async () => {
    const child = spawn(
      process.execPath,
      ['bin/needlelog.mjs', 'web', '--no-open', '--port', '0', '--data-dir', tempDir()],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (m) {
            clearInterval(timer);
            resolve(m[1]!);
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`needlelog web exited: ${output}`));
          }
        }, 100);
      });
      const page = await fetch(`${url}/`);
      expect(page.status, output).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
  }, 240_000);
});
