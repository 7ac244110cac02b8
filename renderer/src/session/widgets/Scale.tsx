import { RadioGroup, type RadioOption } from './RadioGroup.js';

export interface ScaleProps {
  field: string;
  label: string;
  hint?: string;
  min: number;
  max: number;
  labels?: Record<number, string>;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  vertical?: boolean;
}

export function Scale({
  field,
  label,
  hint,
  min,
  max,
  labels,
  value,
  onChange,
  error,
  vertical,
}: ScaleProps) {
  const options: RadioOption[] = [];
  for (let n = min; n <= max; n += 1) {
    const word = labels?.[n];
    options.push({ value: String(n), label: String(n), ...(word ? { word } : {}) });
  }
  return (
    <RadioGroup
      field={field}
      label={label}
      hint={hint}
      options={options}
      value={value}
      onChange={onChange}
      error={error}
      clearable
      className={vertical ? 'sf-radios is-vertical' : labels ? 'sf-radios is-scale' : 'sf-radios'}
    />
  );
}
