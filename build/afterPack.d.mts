// Types for build/afterPack.mjs (plain JavaScript, loaded by electron-builder), for the tests.

export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  packager: {
    executableName?: unknown;
    appInfo: { sanitizedName?: string; productFilename: string };
  };
}

export declare const FUSES: Readonly<{
  RunAsNode: false;
  EnableNodeOptionsEnvironmentVariable: false;
  EnableNodeCliInspectArguments: false;
  EnableEmbeddedAsarIntegrityValidation: true;
  OnlyLoadAppFromAsar: true;
  GrantFileProtocolExtraPrivileges: false;
}>;
export declare function isMac(electronPlatformName: string): boolean;
export declare function fuseOptions(electronPlatformName: string): Record<string | number, unknown>;
export declare function linuxExecutableName(packager: AfterPackContextLike['packager']): string;
export declare function electronBinaryPath(context: AfterPackContextLike): string;
export declare function afterPack(context: AfterPackContextLike): Promise<void>;
export default afterPack;
