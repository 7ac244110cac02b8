// electron-builder `afterPack` hook (wired in electron-builder.yml): flips Electron's fuses in the
// packaged binary, after the app is copied in and before it is signed and wrapped in an installer.
// Fuses are bits compiled into the Electron binary; flipping them turns features off for good, so
// a packaged NeedleLog cannot be run as plain Node, driven through NODE_OPTIONS or --inspect, or made
// to load code from outside its integrity-checked app.asar.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuses NeedleLog ships with, by FuseV1Options name. */
export const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
});

/** @param {string} electronPlatformName `darwin`, `mas`, `win32` or `linux` */
export function isMac(electronPlatformName) {
  return electronPlatformName === 'darwin' || electronPlatformName === 'mas';
}

/**
 * The `flipFuses` options for a platform. On macOS the bundle's ad-hoc signature is invalidated by
 * the flip, so it is reset (electron-builder signs properly afterwards when an identity is set).
 * @param {string} electronPlatformName
 */
export function fuseOptions(electronPlatformName) {
  /** @type {Record<string | number, unknown>} */
  const options = { version: FuseVersion.V1, resetAdHocDarwinSignature: isMac(electronPlatformName) };
  for (const [name, value] of Object.entries(FUSES)) {
    const fuse = FuseV1Options[/** @type {keyof typeof FuseV1Options} */ (name)];
    if (fuse === undefined) throw new Error(`@electron/fuses has no fuse named ${name}`);
    options[fuse] = value;
  }
  return options;
}

/**
 * The Linux executable's name, as electron-builder's LinuxPackager computes it: `linux.executableName`
 * or `executableName` when set, else the package name in lower case.
 * @param {{ executableName?: unknown, appInfo: { sanitizedName?: string, productFilename: string } }} packager
 */
export function linuxExecutableName(packager) {
  if (typeof packager.executableName === 'string' && packager.executableName !== '') {
    return packager.executableName;
  }
  return (packager.appInfo.sanitizedName ?? packager.appInfo.productFilename).toLowerCase();
}

/**
 * Where the Electron binary is inside the packed app directory.
 * @param {{ appOutDir: string, electronPlatformName: string, packager: { executableName?: unknown, appInfo: { sanitizedName?: string, productFilename: string } } }} context
 */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'win32':
      return path.join(appOutDir, `${name}.exe`);
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'linux':
      return path.join(appOutDir, linuxExecutableName(packager));
    default:
      throw new Error(`afterPack: unknown platform ${electronPlatformName}`);
  }
}

/**
 * The hook itself. electron-builder calls the module's `afterPack` export (or its default).
 * @param {{ appOutDir: string, electronPlatformName: string, packager: { executableName?: unknown, appInfo: { sanitizedName?: string, productFilename: string } } }} context
 */
export async function afterPack(context) {
  const binary = electronBinaryPath(context);
  await flipFuses(
    binary,
    /** @type {Parameters<typeof flipFuses>[1]} */ (fuseOptions(context.electronPlatformName)),
  );
  console.log(`  • NeedleLog fuses flipped  binary=${binary}`);
}

export default afterPack;
