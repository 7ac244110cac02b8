import { NUMBING_AGENT_KEYS, NUMBING_AGENTS } from '../../../../contract/domain.js';
import { Field } from '../../components/Field.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { LiveWarnings } from '../widgets/FieldNotes.js';
import { Section } from '../widgets/Section.js';
import { Timer } from '../widgets/Timer.js';

export function NumbingSection({ kit }: { kit: FormKit }) {
  const {
    v,
    timers,
    onTimers,
    now,
    errorFor,
    warningsFor,
    set,
    text,
    fieldOf,
    carriedMark,
    sectionCarried,
    showTimers,
  } = kit;
  return (
    <Section id="numbing" title="Numbing" carried={sectionCarried('numbing')}>
      <div className="form-grid sf-numbing-grid">
        <Field {...fieldOf('numbingAgent', 'Numbing agent')}>
          {(a) => (
            <select {...a} {...text('numbingAgent')}>
              {NUMBING_AGENT_KEYS.map((k) => (
                <option key={k} value={k}>
                  {NUMBING_AGENTS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {v.numbingAgent === 'other' && (
          <Field
            {...fieldOf('numbingConcentration', 'Concentration')}
            hint="Name and strength, e.g. lidocaine 10%"
          >
            {(a) => <input type="text" autoComplete="off" {...a} {...text('numbingConcentration')} />}
          </Field>
        )}
        <Field
          id={controlId('numbingMinutes')}
          label="Numbing time (min)"
          hint="How long the cream was on; the timer fills it"
          error={errorFor('numbingMinutes')}
        >
          {(a) => (
            <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('numbingMinutes')} />
          )}
        </Field>
        <Field {...fieldOf('numbingArea', 'Numbing area')}>
          {(a) => <input type="text" autoComplete="off" {...a} {...text('numbingArea')} />}
        </Field>
      </div>
      <LiveWarnings warnings={warningsFor('numbingMinutes')} />
      <label className="check sf-check">
        <input
          id={controlId('numbingOcclusion')}
          type="checkbox"
          checked={v.numbingOcclusion}
          onChange={(e) => set('numbingOcclusion')(e.target.checked)}
        />
        Occlusion (covered with film)
        {carriedMark('numbingOcclusion')}
      </label>
      {v.numbingOcclusion && (
        <p className="sf-note">The FDA warns against numbing large areas under occlusion.</p>
      )}
      {showTimers !== false && (
        <Timer
          name="numbing"
          startedAt={timers.numbingStartedAt}
          now={now}
          startLabel="Start numbing timer"
          runningLabel="Numbing cream on for"
          onStart={() => onTimers((t) => ({ ...t, numbingStartedAt: Date.now() }))}
          stopLabel={(min) => `Use ${min} min`}
          onStop={(min) => {
            onTimers((t) => ({ ...t, numbingStartedAt: null }));
            set('numbingMinutes')(String(min));
          }}
          onCancel={() => onTimers((t) => ({ ...t, numbingStartedAt: null }))}
          cancelLabel="Cancel numbing timer"
        />
      )}
    </Section>
  );
}
