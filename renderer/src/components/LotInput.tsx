import type { LotKind, RecentLot } from '../../../contract/lots.js';
import { LOT_KINDS } from '../../../contract/domain.js';
import { useRecentLots } from '../data/lots.js';
import { formatInstant } from '../format.js';
import { useDebouncedValue } from '../useDebouncedValue.js';

interface Props {
  /** One kind of lot, or null for all three (the recall screen). */
  kind: LotKind | null;
  value: string;
  onChange: (value: string) => void;
  /** The attributes from <Field> that tie the input to its label, hint and error. */
  a11y: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string | undefined };
  placeholder?: string;
}

const NO_LOTS: readonly RecentLot[] = [];

/**
 * A lot number input that suggests lots entered before (most recent first, narrowed as one types),
 * so a lot is picked rather than retyped. The suggestions are a native <datalist>: the input becomes
 * a combobox that the keyboard (arrow keys, Enter) and screen readers already know how to use.
 */
export function LotInput({ kind, value, onChange, a11y, placeholder }: Props) {
  const prefix = useDebouncedValue(value.trim(), 150);
  const suggestions = useRecentLots({ kind, prefix, limit: 12 }).data ?? NO_LOTS;

  const listId = `${a11y.id}-suggestions`;
  // The same code may have been used as two kinds of lot (recall screen): offer it once.
  const lots = [...new Map(suggestions.map((s) => [s.lot, s])).values()].filter((s) => s.lot !== value);
  return (
    <>
      <input
        type="text"
        autoComplete="off"
        spellCheck={false}
        list={listId}
        placeholder={placeholder}
        {...a11y}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id={listId}>
        {lots.map((s) => (
          <option
            key={s.lot}
            value={s.lot}
            label={`${kind === null ? `${LOT_KINDS[s.kind]} · ` : ''}last used ${formatInstant(s.lastUsedAt)}`}
          />
        ))}
      </datalist>
    </>
  );
}
