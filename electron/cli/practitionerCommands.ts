import { NewPin } from '../../contract/auth.js';
import { closeDatabase, openDatabase, type DataKey } from '../../db/connection.js';
import { createServices } from '../services/index.js';
import { secretFrom, signInCli } from './signIn.js';

type Out = (line: string) => void;

/** `needlelog practitioners`: the list; `practitioners reset-pin NAME --as MANAGER`: a new PIN. */
export async function runPractitioners(
  dataDir: string,
  args: string[],
  as: string | undefined,
  unlock: () => Promise<DataKey | number>,
  out: Out,
  err: Out,
): Promise<number> {
  const [action, name, ...extra] = args;
  if (action !== undefined && (action !== 'reset-pin' || !name || extra.length > 0)) {
    err(
      'Use "needlelog practitioners" to list them, or "needlelog practitioners reset-pin NAME --as MANAGER".',
    );
    return 2;
  }
  const key = await unlock();
  if (typeof key === 'number') return key;
  if (action === undefined) {
    const db = openDatabase(dataDir, key);
    try {
      const people = createServices(db).auth.people();
      if (people.length === 0) out('No practitioners yet.');
      for (const p of people) {
        const notes = [p.role, p.hasPin ? 'PIN set' : 'no PIN yet (sets one at first sign-in)'];
        if (p.waitUntil) notes.push(`wrong PINs: waiting until ${p.waitUntil}`);
        out(`${p.name}  (${notes.join(', ')})`);
      }
      return 0;
    } finally {
      closeDatabase(db);
    }
  }
  const manager = await signInCli(dataDir, key, as, 'manager', err);
  if (typeof manager === 'number') return manager;
  if (manager === null) return 1;
  const pin = await secretFrom('NEEDLELOG_NEW_PIN', `New PIN for ${name}: `, process.env);
  if (pin === null) {
    err(`Set NEEDLELOG_NEW_PIN, or run this in a terminal to type ${name}'s new PIN.`);
    return 2;
  }
  const checked = NewPin.safeParse(pin);
  if (!checked.success) {
    err(checked.error.issues[0]?.message ?? 'That PIN is not allowed.');
    return 2;
  }
  const db = openDatabase(dataDir, key);
  try {
    const services = createServices(db);
    services.actAs(manager.id);
    const person = services.auth
      .people()
      .find((p) => p.name.toLowerCase() === (name ?? '').trim().toLowerCase());
    if (!person) {
      err(`There is no practitioner called "${name}".`);
      return 1;
    }
    await services.auth.resetPin({ id: person.id, pin });
    out(`${person.name} has a new PIN. Ask them to change it in Settings → Practitioners after signing in.`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
