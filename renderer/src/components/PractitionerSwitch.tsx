import type { SignedInPerson } from '../../../contract/auth.js';
import '../styles/auth.css';

interface Props {
  who: SignedInPerson;
  onLock: () => void;
  onSwitch: () => void;
}

/** Who is signed in, always in the header, with "Lock" (Ctrl+L) and "Switch practitioner". */
export function PractitionerSwitch({ who, onLock, onSwitch }: Props) {
  return (
    <div className="practitioner-switch who-signed-in" role="group" aria-label="Signed in">
      <span className="who">
        <span className="who-name">{who.name}</span>{' '}
        <span className="who-role">{who.role === 'manager' ? 'Manager' : 'Practitioner'}</span>
      </span>
      <button type="button" className="button small" onClick={onLock} title="Lock the screen (Ctrl+L)">
        Lock
      </button>
      <button type="button" className="button small" onClick={onSwitch}>
        Switch practitioner
      </button>
    </div>
  );
}
