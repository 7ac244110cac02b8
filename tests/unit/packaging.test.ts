// Static checks of the packaging config (electron-builder.yml) and the afterPack fuse hook. They
// run anywhere: nothing is packaged and no Electron binary is needed. Where the config's meaning
// depends on electron-builder's own rules (schema, which files go in, which are unpacked), the
// installed electron-builder's code is asked, so these tests follow its real behaviour.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const flipFuses = vi.hoisted(() => vi.fn(async (_binary: string, _options: unknown) => 0));
vi.mock('@electron/fuses', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@electron/fuses')>()),
  flipFuses,
}));

// After vi.mock: the hook imports the faked module.
const { afterPack, electronBinaryPath, FUSES } = await import('../../build/afterPack.mjs');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(repo, 'package.json'));

// js-yaml and app-builder-lib ship with electron-builder (no TS types for them here).
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Stat {
  isDirectory(): boolean;
  isFile(): boolean;
}
type Filter = (file: string, stat: Stat) => boolean;
interface Matcher {
  patterns: string[];
  createFilter(): Filter;
}
const fileMatcher = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformSpecificBuildOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformSpecificBuildOptions: object,
    packager: object,
  ): Matcher;
  getFileMatchers(
    config: object,
    name: string,
    destination: string,
    options: {
      macroExpander: (s: string) => string;
      customBuildOptions: object;
      globalOutDir: string;
      defaultSrc: string;
    },
  ): Matcher[] | null;
};
const { resolveFunction } = require('app-builder-lib/out/util/resolve') as {
  resolveFunction(type: string, executor: string, name: string, rootSearchDir: string): Promise<unknown>;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: object, debugLogger: object): Promise<void>;
};

interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { buildResources?: string; output?: string };
  files?: string[];
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  nodeGypRebuild?: boolean;
  buildDependenciesFromSource?: boolean;
  afterPack?: string;
  electronFuses?: unknown;
  linux?: { target?: string[]; icon?: string; maintainer?: string; category?: string; synopsis?: string };
  win?: { target?: string[]; icon?: string };
  nsis?: Record<string, unknown>;
  mac?: {
    target?: string[];
    icon?: string;
    category?: string;
    hardenedRuntime?: boolean;
    entitlements?: string;
    entitlementsInherit?: string;
    extendInfo?: Record<string, unknown>;
  };
  [key: string]: unknown;
}

const config = yaml.load(fs.readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const identity = (s: string): string => s;
const fileStat = (dir = false): Stat => ({ isDirectory: () => dir, isFile: () => !dir });
const abs = (relative: string): string => path.join(repo, ...relative.split('/'));

/** electron-builder's filter for the app's own files (`files` plus its built-in rules). */
function appFilesFilter(): Filter {
  const platformPackager = {
    info: {
      projectDir: repo,
      buildResourcesDir: path.join(repo, config.directories?.buildResources ?? 'build'),
      isPrepackedAppAsar: false,
      config,
      debugLogger: { isEnabled: false },
    },
  };
  const matchers = fileMatcher.getMainFileMatchers(
    repo,
    '/app',
    identity,
    {},
    platformPackager,
    path.join(repo, config.directories?.output ?? 'dist'),
    false,
  );
  expect(matchers).toHaveLength(1);
  return matchers[0]!.createFilter();
}

/** electron-builder's filter for files inside production dependencies. */
function nodeModulesFilter(): Filter {
  return fileMatcher
    .getNodeModuleFileMatcher(repo, '/app', identity, {}, { config, debugLogger: { isEnabled: false } })
    .createFilter();
}

/** electron-builder's filter for what goes to app.asar.unpacked. */
function asarUnpackFilter(): Filter {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', '/app', {
    macroExpander: identity,
    customBuildOptions: {},
    globalOutDir: path.join(repo, 'dist'),
    defaultSrc: repo,
  });
  expect(matchers).not.toBeNull();
  return matchers![0]!.createFilter();
}

/** Where Node would find package `name` from `from` (by folders: some packages do not export package.json). */
function packageDir(name: string, from: string = repo): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function filesUnder(dir: string, depth = 6): string[] {
  if (depth < 0) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      out.push(...filesUnder(full, depth - 1));
    } else if (entry.isFile()) out.push(full);
  }
  return out;
}

const BINARY = /\.(node|so(\.\d+)*|dylib|dll)$/;

interface NativePackage {
  name: string;
  dir: string;
  binaries: string[];
}

/**
 * The production dependency tree (dependencies and installed optional dependencies), and which of
 * its packages carry native code: a binding.gyp, .node files or shared libraries, or (like sharp)
 * optional @img/* packages that hold them.
 */
function nativeProductionPackages(): NativePackage[] {
  const seen = new Map<string, NativePackage & { native: boolean }>();
  const visit = (name: string, from: string): void => {
    const dir = packageDir(name, from);
    if (dir === null || seen.has(dir)) return;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      gypfile?: boolean;
    };
    const binaries = filesUnder(dir).filter((f) => BINARY.test(f));
    const optional = Object.keys(manifest.optionalDependencies ?? {});
    const native =
      fs.existsSync(path.join(dir, 'binding.gyp')) ||
      manifest.gypfile === true ||
      binaries.length > 0 ||
      optional.some((dep) => dep.startsWith('@img/'));
    seen.set(dir, { name, dir, binaries, native });
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), ...optional]) visit(dep, dir);
  };
  for (const dep of Object.keys(pkg.dependencies)) visit(dep, repo);
  return [...seen.values()].filter((p) => p.native);
}

describe('electron-builder.yml', () => {
  it('parses, and electron-builder accepts it against its schema', async () => {
    expect(config).toBeTypeOf('object');
    await expect(validateConfiguration(config, { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
  });

  it('names the app and points at the build resources and the output folder', () => {
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('NeedleLog');
    // Electron's userData folder is named after productName: the data folder the README documents.
    expect(pkg.productName).toBe('NeedleLog');
    expect(config.directories).toEqual({ buildResources: 'build', output: 'dist' });
  });

  it('has an icon of at least 512×512 for every platform', async () => {
    const sharp = (await import('sharp')).default;
    for (const platform of [config.linux, config.win, config.mac]) {
      expect(platform?.icon).toBe('build/icon.png');
    }
    const meta = await sharp(path.join(repo, 'build', 'icon.png')).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThanOrEqual(512);
    expect(meta.height).toBe(meta.width);
  });

  it('builds AppImage and deb on Linux, with the metadata a deb needs', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    expect(config.linux?.category).toBeTruthy();
    expect(config.linux?.synopsis).toBeTruthy();
  });

  it('builds a per-user NSIS installer that asks for no elevation and keeps app data', () => {
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowElevation: false,
      allowToChangeInstallationDirectory: true,
      deleteAppDataOnUninstall: false,
    });
  });

  it('builds a hardened-runtime dmg that may use the camera, and says why', () => {
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.medical');
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    expect(String(config.mac?.extendInfo?.NSCameraUsageDescription)).toMatch(/camera/i);
    const plist = fs.readFileSync(path.join(repo, 'build', 'entitlements.mac.plist'), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.camera<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
  });

  it('rebuilds native modules for Electron at packaging time through @electron/rebuild', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.nodeGypRebuild).toBe(false);
    expect(typeof config.buildDependenciesFromSource).toBe('boolean');
  });

  it('wires the fuse hook as afterPack, and flips fuses nowhere else', () => {
    expect(config.afterPack).toBe('./build/afterPack.mjs');
    expect(fs.existsSync(path.join(repo, 'build', 'afterPack.mjs'))).toBe(true);
    expect(config.electronFuses).toBeUndefined();
  });

  it('loads the hook the way electron-builder does, as the afterPack function', async () => {
    const hook = await resolveFunction('module', config.afterPack!, 'afterPack', repo);
    expect(hook).toBeTypeOf('function');
    expect((hook as { name: string }).name).toBe('afterPack');
  });

  it('has dist scripts that build with electron-vite and then package', () => {
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder');
    expect(pkg.scripts['dist:linux']).toMatch(/electron-builder --linux$/);
    expect(pkg.scripts['dist:win']).toMatch(/electron-builder --win$/);
    expect(pkg.scripts['dist:mac']).toMatch(/electron-builder --mac$/);
  });
});

describe('files in the package', () => {
  it('includes the built main, preload and renderer and package.json', () => {
    const filter = appFilesFilter();
    for (const file of [
      pkg.main,
      'out/main/index.js',
      // The photo worker thread's entry and a chunk it shares with index.js (electron.vite.config.ts).
      'out/main/photoWorker.js',
      'out/main/dbWorker.js',
      'out/main/photoPipeline-abc123.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'out/renderer/assets/index-abc123.css',
      'package.json',
    ]) {
      expect(filter(abs(file), fileStat()), file).toBe(true);
    }
    for (const dir of ['out', 'out/main', 'out/preload', 'out/renderer']) {
      expect(filter(abs(dir), fileStat(true)), dir).toBe(true);
    }
  });

  it('excludes sources, tests, maps, scripts, docs and build resources', () => {
    const filter = appFilesFilter();
    for (const file of [
      'out/main/index.js.map',
      'out/renderer/assets/index-abc123.js.map',
      'electron/shell/main.ts',
      'electron/shell/preload.ts',
      'electron/dataDir.ts',
      'contract/channels.ts',
      'db/connection.ts',
      'renderer/index.html',
      'renderer/src/App.tsx',
      'tests/unit/x.test.ts',
      'tests/e2e/electron.spec.ts',
      'tests/fixtures/quadrants.heic',
      'scripts/start.mjs',
      'bench/run.ts',
      'bin/needlelog.mjs',
      'docs/guide.md',
      'README.md',
      'build/icon.png',
      'build/afterPack.mjs',
      'electron-builder.yml',
      'electron.vite.config.ts',
      'tsconfig.json',
      'package-lock.json',
      'dist/linux-unpacked/needlelog',
      'test-results/x.png',
      '.git/HEAD',
    ]) {
      expect(filter(abs(file), fileStat()), file).toBe(false);
    }
  });

  it('keeps the production dependencies’ runtime files but drops their maps and TypeScript', () => {
    const filter = nodeModulesFilter();
    for (const file of [
      'node_modules/better-sqlite3-multiple-ciphers/lib/index.js',
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'node_modules/sharp/lib/index.js',
    ]) {
      expect(filter(abs(file), fileStat()), file).toBe(true);
    }
    for (const file of ['node_modules/zod/index.js.map', 'node_modules/zod/src/index.ts']) {
      expect(filter(abs(file), fileStat()), file).toBe(false);
    }
  });
});

describe('native modules', () => {
  const natives = nativeProductionPackages();

  it('finds better-sqlite3-multiple-ciphers and sharp (with its platform package) among the production dependencies', () => {
    const names = natives.map((p) => p.name);
    expect(names).toContain('better-sqlite3-multiple-ciphers');
    expect(names).not.toContain('better-sqlite3');
    expect(names).toContain('sharp');
    expect(names.some((n) => n.startsWith('@img/sharp-'))).toBe(true);
  });

  it('unpacks every native package and every binary in it out of app.asar', () => {
    const filter = asarUnpackFilter();
    for (const native of natives) {
      const manifest = path.join(native.dir, 'package.json');
      expect(filter(manifest, fileStat()), `${native.name} is not unpacked`).toBe(true);
      for (const binary of native.binaries) {
        expect(filter(binary, fileStat()), path.relative(repo, binary)).toBe(true);
      }
    }
    // Other platforms' sharp packages (not installed here) are covered by the same rule.
    for (const file of [
      'node_modules/@img/sharp-win32-x64/lib/sharp-win32-x64.node',
      'node_modules/@img/sharp-libvips-darwin-arm64/lib/libvips-cpp.8.dylib',
    ]) {
      expect(filter(abs(file), fileStat()), file).toBe(true);
    }
  });

  it('keeps plain JavaScript packed in app.asar', () => {
    const filter = asarUnpackFilter();
    expect(filter(abs('out/main/index.js'), fileStat())).toBe(false);
    // Electron (since 18) starts worker threads from app.asar; sharp, which the worker loads, is
    // unpacked by the rule above like everywhere else.
    expect(filter(abs('out/main/photoWorker.js'), fileStat())).toBe(false);
    expect(filter(abs('node_modules/zod/index.js'), fileStat())).toBe(false);
  });
});

describe('afterPack fuse hook', () => {
  beforeEach(() => flipFuses.mockClear());

  const EXPECTED_FUSES = {
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };

  const packager = {
    executableName: 'needlelog',
    appInfo: { sanitizedName: 'needlelog', productFilename: 'NeedleLog' },
  };
  const cases = [
    { platform: 'linux', binary: ['linux-unpacked', 'needlelog'], mac: false },
    { platform: 'win32', binary: ['win-unpacked', 'NeedleLog.exe'], mac: false },
    {
      platform: 'darwin',
      binary: ['mac-arm64', 'NeedleLog.app', 'Contents', 'MacOS', 'NeedleLog'],
      mac: true,
    },
    { platform: 'mas', binary: ['mas', 'NeedleLog.app', 'Contents', 'MacOS', 'NeedleLog'], mac: true },
  ];

  it.each(cases)('flips exactly the six fuses in the $platform binary', async ({ platform, binary, mac }) => {
    const appOutDir = path.join(repo, 'dist', binary[0]!);
    await afterPack({ appOutDir, electronPlatformName: platform, packager });

    expect(flipFuses).toHaveBeenCalledTimes(1);
    const [calledPath, options] = flipFuses.mock.calls[0]!;
    expect(calledPath).toBe(path.join(repo, 'dist', ...binary));
    expect(options).toStrictEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: mac,
      ...EXPECTED_FUSES,
    });
  });

  it('lists the fuses by name too', () => {
    expect(FUSES).toStrictEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('names the Linux binary as electron-builder does when the packager does not say', () => {
    const appOutDir = path.join('dist', 'linux-unpacked');
    expect(
      electronBinaryPath({
        appOutDir,
        electronPlatformName: 'linux',
        packager: { appInfo: { sanitizedName: 'needlelog', productFilename: 'NeedleLog' } },
      }),
    ).toBe(path.join(appOutDir, 'needlelog'));
  });

  it('refuses an unknown platform instead of flipping the wrong file', async () => {
    await expect(
      afterPack({ appOutDir: 'dist/x', electronPlatformName: 'freebsd', packager }),
    ).rejects.toThrow(/unknown platform/);
    expect(flipFuses).not.toHaveBeenCalled();
  });
});
