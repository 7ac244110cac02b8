import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentBuild } from '../../bin/builtCli.mjs';
import { tempDir } from '../support/clinic.js';

/** A repository-shaped folder: a source in electron/cli and one deeper in db/, and a built CLI. */
function repo(): { dir: string; built: string; sources: string[] } {
  const dir = tempDir();
  const sources = [path.join(dir, 'electron', 'cli', 'main.ts'), path.join(dir, 'db', 'sync', 'clock.ts')];
  for (const f of sources) {
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, '');
  }
  const built = path.join(dir, 'out', 'main', 'cli.js');
  fs.mkdirSync(path.dirname(built), { recursive: true });
  fs.writeFileSync(built, '');
  // The build began a little before now; the sources and package.json are older still.
  fs.writeFileSync(path.join(dir, 'out', 'main', 'build-started'), String(Date.now() - 30_000));
  fs.writeFileSync(path.join(dir, 'package.json'), '{}');
  const then = new Date(Date.now() - 60_000);
  for (const f of [...sources, path.join(dir, 'package.json')]) fs.utimesSync(f, then, then);
  return { dir, built, sources };
}

describe('needlelog web starts from the built CLI only while it is current', () => {
  it('uses out/main/cli.js when no source is newer', () => {
    const { dir, built } = repo();
    expect(currentBuild(dir)).toBe(built);
  });

  it('falls back to the sources when any source, however deep, changed after the build', () => {
    for (const i of [0, 1]) {
      const { dir, sources } = repo();
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(sources[i]!, later, later);
      expect(currentBuild(dir), sources[i]).toBeNull();
    }
  });

  it('falls back to the sources when a source was saved while the build ran, or the dependencies changed', () => {
    const during = repo();
    // Saved after the build began, though before its files were written.
    const midBuild = new Date(Date.now() - 10_000);
    fs.utimesSync(during.sources[1]!, midBuild, midBuild);
    fs.utimesSync(during.built, new Date(), new Date());
    expect(currentBuild(during.dir)).toBeNull();
    const deps = repo();
    fs.writeFileSync(path.join(deps.dir, 'package.json'), '{"dependencies":{}}');
    expect(currentBuild(deps.dir)).toBeNull();
    const unstamped = repo();
    fs.rmSync(path.join(unstamped.dir, 'out', 'main', 'build-started'));
    expect(currentBuild(unstamped.dir)).toBeNull();
  });

  it('falls back to the sources when nothing is built', () => {
    const { dir, built } = repo();
    fs.rmSync(built);
    expect(currentBuild(dir)).toBeNull();
  });
});
