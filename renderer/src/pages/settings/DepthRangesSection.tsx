import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  ZONES,
  DEFAULT_DEPTH_RANGES,
  DEFAULT_INDICATION_DEPTH_RANGES,
  INDICATIONS,
  ZONE_KEYS,
  type DepthRange,
  type Indication,
  type Zone,
} from '../../../../contract/domain.js';
import type { Settings } from '../../../../contract/schemas.js';
import { FormAlert } from '../../forms/FormAlert.js';
import { SaveRow } from '../../forms/SaveRow.js';
import { useSettingsSave } from './useSettingsSave.js';
import { DataTable } from '../../components/DataTable.js';

type RangeText = { min: string; max: string };
const INDICATIONS_WITH_RANGES = Object.keys(DEFAULT_INDICATION_DEPTH_RANGES) as Indication[];

function toText(r: DepthRange | undefined): RangeText {
  return r ? { min: String(r.min), max: String(r.max) } : { min: '', max: '' };
}

function toRange(t: RangeText): DepthRange {
  const num = (s: string) => (s.trim() === '' ? (undefined as unknown as number) : Number(s));
  return { min: num(t.min), max: num(t.max) };
}

/** The depth ranges behind the "outside the usual range" warnings: per zone, and per indication. */
export function DepthRangesSection({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [zones, setZones] = useState<Record<Zone, RangeText>>(
    () =>
      Object.fromEntries(ZONE_KEYS.map((z) => [z, toText(settings.depthRanges[z])])) as Record<
        Zone,
        RangeText
      >,
  );
  const [indications, setIndications] = useState<Record<string, RangeText>>(() =>
    Object.fromEntries(INDICATIONS_WITH_RANGES.map((k) => [k, toText(settings.indicationDepthRanges[k])])),
  );
  const { form, status, save } = useSettingsSave(onSaved);

  // After a refused save, the keyboard goes to the first row that needs a look.
  useEffect(() => {
    const key = form.errors.find((e) => e.field !== null)?.field;
    if (key) document.getElementById(`range-${key}-min`)?.focus();
  }, [form.errors]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const depthRanges = Object.fromEntries(ZONE_KEYS.map((z) => [z, toRange(zones[z])])) as Record<
      Zone,
      DepthRange
    >;
    const indicationDepthRanges = Object.fromEntries(
      INDICATIONS_WITH_RANGES.map((k) => {
        const t = indications[k] ?? { min: '', max: '' };
        // Both boxes empty: the indication has no range of its own and the zone ranges apply.
        return [k, t.min.trim() === '' && t.max.trim() === '' ? null : toRange(t)];
      }),
    ) as Partial<Record<Indication, DepthRange | null>>;
    await save({ depthRanges, indicationDepthRanges }, 'Depth ranges saved.', rowKeyOf);
  }

  const rowError = form.errorFor;

  return (
    <section className="card" aria-labelledby="ranges-title">
      <h2 id="ranges-title">Needle depth ranges</h2>
      <p className="field-hint">
        A depth outside these ranges gets a warning when a session is saved; it never stops the save. Depths
        are in millimetres, from 0.1 to 3.0.
      </p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <FormAlert errors={form.errors} />
        <RangeTable caption="Depth range for each treatment zone" rowHeader="Zone">
          {ZONE_KEYS.map((z) => (
            <RangeRow
              key={z}
              rowKey={`depthRanges-${z}`}
              label={ZONES[z]}
              value={zones[z]}
              defaults={DEFAULT_DEPTH_RANGES[z]}
              error={rowError(`depthRanges-${z}`)}
              onChange={(v) => setZones((all) => ({ ...all, [z]: v }))}
            />
          ))}
        </RangeTable>
        <h3 className="subhead">By indication</h3>
        <p className="field-hint">
          Deeper treatments such as acne scars and stretch marks use their own range on every zone except
          around the eyes. Leave both boxes empty to use the zone ranges.
        </p>
        <RangeTable caption="Depth range for indications treated deeper" rowHeader="Indication">
          {INDICATIONS_WITH_RANGES.map((k) => (
            <RangeRow
              key={k}
              rowKey={`indicationDepthRanges-${k}`}
              label={INDICATIONS[k]}
              value={indications[k] ?? { min: '', max: '' }}
              defaults={DEFAULT_INDICATION_DEPTH_RANGES[k]}
              error={rowError(`indicationDepthRanges-${k}`)}
              onChange={(v) => setIndications((all) => ({ ...all, [k]: v }))}
            />
          ))}
        </RangeTable>
        <SaveRow
          label="Save depth ranges"
          saving={form.saving}
          status={status}
          className="inline-actions range-actions"
        />
      </form>
    </section>
  );
}

/** The shell of a depth-range table: one row per zone or indication, lowest and highest depth. */
function RangeTable({
  caption,
  rowHeader,
  children,
}: {
  caption: string;
  rowHeader: string;
  children: ReactNode;
}) {
  return (
    <DataTable
      className="range-table"
      caption={caption}
      columns={[rowHeader, 'Lowest (mm)', 'Highest (mm)', 'Default']}
    >
      {children}
    </DataTable>
  );
}

/** "depthRanges.lips_perioral.min" → "depthRanges-lips_perioral". */
function rowKeyOf(field: string | undefined): string | null {
  const m = field ? /^(depthRanges|indicationDepthRanges)\.([a-z_]+)/.exec(field) : null;
  return m ? `${m[1]}-${m[2]}` : null;
}

function RangeRow({
  rowKey,
  label,
  value,
  defaults,
  error,
  onChange,
}: {
  rowKey: string;
  label: string;
  value: RangeText;
  defaults: DepthRange | undefined;
  error: string | undefined;
  onChange: (v: RangeText) => void;
}) {
  const errorId = `range-${rowKey}-error`;
  const a11y = {
    'aria-invalid': Boolean(error),
    'aria-describedby': error ? errorId : undefined,
  };
  return (
    <tr className={error ? 'has-error' : undefined}>
      <th scope="row">
        {label}
        {error && (
          <p id={errorId} className="field-error">
            {error}
          </p>
        )}
      </th>
      <DepthCell
        {...a11y}
        id={`range-${rowKey}-min`}
        label={`${label} lowest depth (mm)`}
        value={value.min}
        onChange={(min) => onChange({ ...value, min })}
      />
      <DepthCell
        {...a11y}
        id={`range-${rowKey}-max`}
        label={`${label} highest depth (mm)`}
        value={value.max}
        onChange={(max) => onChange({ ...value, max })}
      />
      <td className="muted">{defaults ? `${defaults.min}–${defaults.max}` : '—'}</td>
    </tr>
  );
}

/** One end of a range, in millimetres, in the steps a needle's depth is set. */
function DepthCell({
  id,
  label,
  value,
  onChange,
  ...a11y
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}) {
  return (
    <td>
      <input
        {...a11y}
        id={id}
        className="mm-input"
        type="number"
        inputMode="decimal"
        step={0.05}
        min={0.1}
        max={3}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </td>
  );
}
