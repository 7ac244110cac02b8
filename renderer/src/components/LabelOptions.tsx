import type { Practitioner } from '../../../contract/schemas.js';

/** A select's options from a table of labels (key → words), after an optional empty first choice. */
export function LabelOptions<K extends string>({
  labels,
  keys = Object.keys(labels) as K[],
  empty,
}: {
  labels: Readonly<Record<K, string>>;
  /** Which keys, in which order; every key of `labels` by default. */
  keys?: readonly K[];
  /** The words of the choice with no value (e.g. "Every area"), if there is one. */
  empty?: string;
}) {
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {keys.map((k) => (
        <option key={k} value={k}>
          {labels[k]}
        </option>
      ))}
    </>
  );
}

/** A practitioner filter's options: "Everyone", then each practitioner by name. */
export function PractitionerOptions({ practitioners }: { practitioners: readonly Practitioner[] }) {
  return (
    <>
      <option value="">Everyone</option>
      {practitioners.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </>
  );
}
