import { useState } from 'react';
import { MAX_ZONE_PASSES, ZONES, ZONE_KEYS, type Zone } from '../../../../contract/domain.js';
import { Field } from '../../components/Field.js';
import { fmt } from '../../format.js';
import { FaceMap } from '../FaceMap.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { depthRangeFor, rangeHint } from '../formRanges.js';
import { CarriedMark, LiveWarningLine } from '../widgets/FieldNotes.js';
import { Section } from '../widgets/Section.js';

export function DepthSection({ kit }: { kit: FormKit }) {
  const { course, settings, v, onChange, errorFor, warningsFor, set, carriedFrom, marks, sectionCarried } =
    kit;
  const unusedZones = ZONE_KEYS.filter((z) => !v.zones.some((row) => row.zone === z));
  const [zoneToAdd, setZoneToAdd] = useState<Zone | ''>('');
  return (
    <Section id="depth" title="Needle depth" carried={sectionCarried('depth')}>
      <FaceMap
        rows={v.zones}
        rangeFor={(zone) => depthRangeFor(zone, course.indication, settings)}
        onRows={(update) => onChange((prev) => ({ ...prev, zones: update(prev.zones) }))}
        passes={v.passes}
        onPasses={set('passes')}
      >
        <div className="sf-zones">
          {v.zones.map((row, i) => {
            const range = depthRangeFor(row.zone, course.indication, settings);
            const id = controlId(`zones.${i}.depth`);
            const passesId = controlId(`zones.${i}.passes`);
            const passesErr = errorFor(`zones.${i}.passes`);
            const err = errorFor(`zones.${i}.depth`);
            const warn = warningsFor(`zones.${i}.depth`)[0];
            const zoneCarried = carriedFrom !== null && marks.zones.includes(row.zone);
            const describedBy = [
              err && `${id}-error`,
              `${id}-hint`,
              warn && `${id}-warn`,
              zoneCarried && `${id}-mark`,
            ]
              .filter(Boolean)
              .join(' ');
            return (
              <div key={row.zone} className={err ? 'sf-zone has-error' : 'sf-zone'}>
                <label htmlFor={id} className="field-label">
                  Needle depth, {ZONES[row.zone]} (mm)
                </label>
                <div className="sf-zone-line">
                  <input
                    id={id}
                    className="sf-depth"
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    aria-invalid={Boolean(err)}
                    aria-describedby={describedBy}
                    value={row.depth}
                    onChange={(e) =>
                      onChange((prev) => ({
                        ...prev,
                        zones: prev.zones.map((z, j) => (j === i ? { ...z, depth: e.target.value } : z)),
                      }))
                    }
                  />
                  <span id={`${id}-hint`} className="sf-range">
                    {rangeHint(range, (n) => fmt().number(n))}
                  </span>
                  {/* The box is named with its zone ("Passes, Forehead"): every row has one. */}
                  <span className="sf-zone-passes-label" aria-hidden="true">
                    Passes
                  </span>
                  <input
                    id={passesId}
                    className="sf-zone-passes"
                    aria-label={`Passes, ${ZONES[row.zone]}`}
                    // A spin button: arrow keys step the count, as the face map's stepper does.
                    type="number"
                    min={1}
                    max={MAX_ZONE_PASSES}
                    step={1}
                    inputMode="numeric"
                    autoComplete="off"
                    aria-invalid={Boolean(passesErr)}
                    aria-describedby={passesErr ? `${passesId}-error` : undefined}
                    value={row.passes ?? ''}
                    onChange={(e) =>
                      onChange((prev) => ({
                        ...prev,
                        zones: prev.zones.map((z, j) => (j === i ? { ...z, passes: e.target.value } : z)),
                      }))
                    }
                  />
                  {v.zones.length > 1 && (
                    <button
                      type="button"
                      className="button small"
                      onClick={() =>
                        onChange((prev) => ({ ...prev, zones: prev.zones.filter((_, j) => j !== i) }))
                      }
                    >
                      Remove {ZONES[row.zone]}
                    </button>
                  )}
                </div>
                {zoneCarried && (
                  <span id={`${id}-mark`} className="field-mark">
                    <CarriedMark from={carriedFrom} />
                  </span>
                )}
                {warn && <LiveWarningLine id={`${id}-warn`} warning={warn} />}
                {err && (
                  <p id={`${id}-error`} className="field-error">
                    {err}
                  </p>
                )}
                {passesErr && (
                  <p id={`${passesId}-error`} className="field-error">
                    {ZONES[row.zone]}: {passesErr}
                  </p>
                )}
              </div>
            );
          })}
          {unusedZones.length > 0 && (
            <div className="sf-add-zone">
              <Field id="sf-add-zone" label="Add another zone">
                {(a) => (
                  <select
                    {...a}
                    value={zoneToAdd}
                    onChange={(e) => setZoneToAdd(e.target.value as Zone | '')}
                  >
                    <option value="">Choose a zone…</option>
                    {unusedZones.map((z) => (
                      <option key={z} value={z}>
                        {ZONES[z]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button
                type="button"
                className="button"
                disabled={zoneToAdd === ''}
                onClick={() => {
                  if (zoneToAdd === '') return;
                  const zone = zoneToAdd;
                  onChange((prev) => ({ ...prev, zones: [...prev.zones, { zone, depth: '' }] }));
                  setZoneToAdd('');
                  window.setTimeout(() =>
                    document.getElementById(controlId(`zones.${v.zones.length}.depth`))?.focus(),
                  );
                }}
              >
                Add zone
              </button>
            </div>
          )}
        </div>
      </FaceMap>
    </Section>
  );
}
