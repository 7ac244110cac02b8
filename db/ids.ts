import { v7 } from 'uuid';

/** Time-ordered ids, so records made on several machines can later merge without clashes. */
export function newId(): string {
  return v7();
}
