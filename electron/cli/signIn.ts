import { closeDatabase, databasePath, openDatabase, type DataKey } from '../../db/connection.js';
import fs from 'node:fs';
import { logAccess, MANAGER_ONLY } from '../services/auth.js';
import { AppError } from '../services/errors.js';
import { createServices } from '../services/index.js';

type Out = (line: string) => void;

/** Reads a line from the terminal without echoing it (a PIN). */
function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** A secret from the environment, else asked on the terminal; none in a script without a terminal. */
export async function secretFrom(
  envName: string,
  question: string,
  env: NodeJS.ProcessEnv,
): Promise<string | null> {
  const given = env[envName];
  if (given !== undefined && given !== '') return given;
  if (!process.stdin.isTTY) return null;
  return readHidden(question);
}

interface CliActor {
  id: string;
  name: string;
}

export interface SignInOptions {
  /** A clinic with nobody in it yet (an import into a new data directory) needs no one to sign in. */
  emptyClinicOpen?: boolean;
  /** Restore: a database that cannot be opened (damaged) cannot check a PIN; the restore replaces it. */
  unopenableOpen?: boolean;
}

/**
 * `--as NAME` with the PIN from NEEDLELOG_PIN or a terminal prompt: checked like a sign-in (wrong
 * PINs count towards the same wait) and logged. Returns the practitioner, null where nobody can
 * or need sign in (see `opts`), or the exit code. `key` is the clinic's data key: the CLI unlocks
 * the clinic first (its passphrase), since nobody can be looked up in a database still locked.
 */
export async function signInCli(
  dataDir: string,
  key: DataKey,
  name: string | undefined,
  needs: 'practitioner' | 'manager',
  err: Out,
  opts: SignInOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliActor | null | number> {
  const exists = fs.existsSync(databasePath(dataDir));
  if (opts.emptyClinicOpen && !exists) return null;
  if (opts.unopenableOpen && exists) {
    try {
      closeDatabase(openDatabase(dataDir, key));
    } catch {
      return null;
    }
  }
  if (opts.emptyClinicOpen && exists) {
    const db = openDatabase(dataDir, key);
    try {
      if (createServices(db).auth.people().length === 0) return null;
    } finally {
      closeDatabase(db);
    }
  }
  if (!name) {
    err('This command reads or writes clinical data: add --as NAME (see "needlelog practitioners").');
    return 2;
  }
  if (!exists) {
    err(`No NeedleLog database in ${dataDir}.`);
    return 1;
  }
  let db;
  try {
    db = openDatabase(dataDir, key);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  try {
    const services = createServices(db);
    const matches = services.auth.people().filter((p) => p.name.toLowerCase() === name.trim().toLowerCase());
    if (matches.length !== 1) {
      err(
        matches.length === 0
          ? `There is no practitioner called "${name}". "needlelog practitioners" lists them.`
          : `More than one practitioner is called "${name}".`,
      );
      return 1;
    }
    const person = matches[0]!;
    const pin = await secretFrom('NEEDLELOG_PIN', `PIN for ${person.name}: `, env);
    if (pin === null) {
      err(`Set NEEDLELOG_PIN, or run this in a terminal to type ${person.name}'s PIN.`);
      return 2;
    }
    try {
      await services.auth.verify(person.id, pin);
    } catch (e) {
      err(e instanceof AppError ? e.message : String(e));
      return 1;
    }
    logAccess(services.ctx, 'sign_in', 'practitioner', person.id, { via: 'command line' }, person.id);
    if (needs === 'manager' && person.role !== 'manager') {
      err(MANAGER_ONLY);
      return 1;
    }
    return { id: person.id, name: person.name };
  } finally {
    closeDatabase(db);
  }
}
