import { Field } from '../../components/Field.js';
import { controlId } from '../formConversion.js';
import type { FormKit } from '../formKit.js';
import { Section } from '../widgets/Section.js';
import { Timer } from '../widgets/Timer.js';

export function ProcedureSection({ kit }: { kit: FormKit }) {
  const { timers, onTimers, now, errorFor, set, text, showTimers } = kit;
  return (
    <Section id="procedure" title="Procedure">
      <div className="form-grid">
        <Field
          id={controlId('procedureMinutes')}
          label="Duration (min)"
          hint="The procedure timer fills it"
          error={errorFor('procedureMinutes')}
        >
          {(a) => (
            <input type="text" inputMode="numeric" autoComplete="off" {...a} {...text('procedureMinutes')} />
          )}
        </Field>
      </div>
      {showTimers !== false && (
        <Timer
          name="procedure"
          startedAt={timers.procedureStartedAt}
          now={now}
          startLabel="Start procedure timer"
          runningLabel="Procedure running for"
          onStart={() => onTimers((t) => ({ ...t, procedureStartedAt: Date.now() }))}
          stopLabel={() => 'Stop procedure timer'}
          onStop={(min) => {
            onTimers((t) => ({ ...t, procedureStartedAt: null }));
            set('procedureMinutes')(String(min));
          }}
        />
      )}
    </Section>
  );
}
