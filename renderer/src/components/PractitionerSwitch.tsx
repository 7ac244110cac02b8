import { useState } from 'react';
import type { Practitioner, Settings } from '../../../contract/schemas.js';
import { call } from '../api.js';

interface Props {
  practitioners: readonly Practitioner[];
  currentId: string | null;
  onChanged: (settings: Settings) => void;
}

/** Who is recording, always in the header: one big select, saved the moment it changes. */
export function PractitionerSwitch({ practitioners, currentId, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const known = currentId !== null && practitioners.some((p) => p.id === currentId);

  async function change(id: string) {
    if (id === '') return;
    setSaving(true);
    const reply = await call('settings.update', { currentPractitionerId: id });
    setSaving(false);
    if (reply.ok) {
      setError(null);
      onChanged(reply.value);
    } else {
      setError(reply.error.message);
    }
  }

  return (
    <div className="practitioner-switch">
      <label htmlFor="current-practitioner">Practitioner</label>
      <select
        id="current-practitioner"
        value={known ? currentId : ''}
        disabled={saving}
        aria-invalid={error !== null}
        aria-describedby={error ? 'current-practitioner-error' : undefined}
        onChange={(e) => void change(e.target.value)}
      >
        {!known && <option value="">Choose who is recording…</option>}
        {practitioners.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      {error && (
        <p id="current-practitioner-error" className="header-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
