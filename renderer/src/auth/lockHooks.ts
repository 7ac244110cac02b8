/**
 * What must happen before the screen locks, and what the page finds after unlocking. The locked
 * screen unmounts every page (no client data may stay in the DOM), so an unsaved session form is
 * saved as its draft first, and the form reopens straight into that draft after "Unlock".
 */
type Flush = () => Promise<void>;

const flushes = new Set<Flush>();
const resumeAfterUnlock = new Set<string>();

/** Registers a save to run before locking; returns the function that removes it. */
export function onBeforeLock(flush: Flush): () => void {
  flushes.add(flush);
  return () => {
    flushes.delete(flush);
  };
}

// Between the last save before locking and the unlock, a page on its way out must not write: the
// host already answers "locked", and what was typed has just been saved.
let locking = false;

/** Runs every registered save (drafts), then holds back further saves until unlocked; never throws. */
export async function flushBeforeLock(): Promise<void> {
  await Promise.all([...flushes].map((f) => f().catch(() => undefined)));
  locking = true;
}

/** True from the saves before a lock until someone is signed in again. */
export function isLocking(): boolean {
  return locking;
}

/** The lock or sign-out was refused: the page stays, and so does its autosave. */
export function lockAbandoned(): void {
  locking = false;
}

/** The session form of this course was open when the screen locked: reopen it into its draft. */
export function markResume(courseId: string): void {
  resumeAfterUnlock.add(courseId);
}

/** True once for a course marked before the lock. */
export function takeResume(courseId: string): boolean {
  return resumeAfterUnlock.delete(courseId);
}

let signedInId: string | null = null;

/** Who is signed in: the default practitioner of a new session. Set by the app shell. */
export function setSignedIn(id: string | null): void {
  if (id !== null && signedInId === null) locking = false;
  signedInId = id;
}
export function signedInPractitionerId(): string | null {
  return signedInId;
}
