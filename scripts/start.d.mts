/** Where the installed Electron binary is, or null when it is not installed. */
export function electronBinary(env?: NodeJS.ProcessEnv): string | null;
/** A better-sqlite3-multiple-ciphers binding built for the given Electron version (built once, cached), or null. */
export function electronSqliteBinding(electronVersion: string): string | null;
