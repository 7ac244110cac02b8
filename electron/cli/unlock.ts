import fs from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { NewPassphrase } from '../../contract/security.js';
import type { DataKey } from '../../db/connection.js';
import { clinicState } from '../services/encryption.js';
import { KeyFileError, readKeyFile, unlockWithSecret, WrongSecretError } from '../services/keySlots.js';

type Out = (line: string) => void;

/**
 * Where the CLI takes the clinic passphrase from, in this order: `--passphrase-file FILE` (its
 * first line), NEEDLELOG_PASSPHRASE, or a prompt on the terminal (not echoed). Never from an
 * argument: those show in `ps` and in shell history.
 */
export interface SecretSource {
  passphraseFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Tests give the prompt's answer; null means there is no terminal. */
  prompt?: ((question: string) => Promise<string>) | null;
}

export class NoSecretError extends Error {}

const NO_PASSPHRASE =
  'NeedleLog needs the clinic passphrase: set NEEDLELOG_PASSPHRASE, pass --passphrase-file FILE, or run this in a terminal.';

export async function readSecret(source: SecretSource, question: string): Promise<string> {
  if (source.passphraseFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(source.passphraseFile, 'utf8');
    } catch {
      throw new NoSecretError(`The passphrase file ${source.passphraseFile} cannot be read.`);
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  const env = source.env ?? process.env;
  if (env.NEEDLELOG_PASSPHRASE !== undefined && env.NEEDLELOG_PASSPHRASE !== '')
    return env.NEEDLELOG_PASSPHRASE;
  const prompt = source.prompt === undefined ? terminalPrompt() : source.prompt;
  if (!prompt) throw new NoSecretError(NO_PASSPHRASE);
  return prompt(question);
}

/** A new passphrase (for a new clinic or the upgrade): asked twice on a terminal, checked by the contract's rules. */
export async function readNewPassphrase(source: SecretSource): Promise<string> {
  const first = await readSecret(source, 'New clinic passphrase: ');
  const fromTerminal =
    source.passphraseFile === undefined && !(source.env ?? process.env).NEEDLELOG_PASSPHRASE;
  const confirm = fromTerminal ? await readSecret(source, 'Type it again: ') : first;
  const parsed = NewPassphrase.safeParse({ passphrase: first, confirm });
  if (!parsed.success)
    throw new NoSecretError(parsed.error.issues[0]?.message ?? 'That passphrase cannot be used.');
  return first;
}

/** A prompt on the terminal that does not echo what is typed, or null without a terminal. */
function terminalPrompt(): ((question: string) => Promise<string>) | null {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
  return (question) =>
    new Promise((resolve) => {
      process.stderr.write(question);
      const muted = new Writable({ write: (_c, _e, done) => done() });
      const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
      rl.question('', (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
}

/**
 * The data key of the clinic in `dataDir`, from its passphrase or recovery key; or the exit code
 * after one sentence on `err` (1: no clinic, wrong passphrase, unreadable key file). Nothing is
 * written either way.
 */
export async function cliUnlock(dataDir: string, source: SecretSource, err: Out): Promise<DataKey | number> {
  const r = await cliUnlockWithSecret(dataDir, source, err);
  return typeof r === 'number' ? r : r.key;
}

/** An unlocked clinic's key, the secret that opened it (the default passphrase of a bundle) and which it was. */
export interface Unlocked {
  key: DataKey;
  secret: string;
  via: 'passphrase' | 'recovery';
}

/**
 * How a command gets at the clinic, each step asked only once the usage is right: `unlock` gives
 * the clinic's key (and the secret that opened it), then `signIn` checks --as and the PIN in the
 * unlocked database and gives who acts (null where nobody can sign in yet); either may give the
 * exit code instead, after saying why.
 */
export interface ClinicAccess {
  unlock(): Promise<Unlocked | number>;
  signIn(key: DataKey): Promise<string | null | number>;
}

/** The same, with the secret that opened it. */
export async function cliUnlockWithSecret(
  dataDir: string,
  source: SecretSource,
  err: Out,
): Promise<Unlocked | number> {
  const state = clinicState(dataDir);
  if (state === 'new') {
    err(`No NeedleLog clinic in ${dataDir}.`);
    return 1;
  }
  if (state === 'plaintext') {
    err(
      `The clinic in ${dataDir} is not encrypted yet: run "needlelog encrypt --data-dir ${dataDir}" first.`,
    );
    return 1;
  }
  try {
    const keyFile = readKeyFile(dataDir);
    if (!keyFile) {
      err(
        `The clinic in ${dataDir} is encrypted but its key file (needlelog.keys) is missing; restore the folder from a backup folder.`,
      );
      return 1;
    }
    const secret = await readSecret(source, 'Clinic passphrase or recovery key: ');
    return { ...unlockWithSecret(keyFile, secret), secret };
  } catch (e) {
    if (e instanceof WrongSecretError || e instanceof NoSecretError || e instanceof KeyFileError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}
