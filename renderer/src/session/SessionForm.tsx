import { useEffect, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorSummary, focusControl } from '../forms/ErrorSummary.js';
import type { FormError } from '../forms/formErrors.js';
import { controlId } from './formConversion.js';
import { sectionStatus } from './formSections.js';
import { formKit, type KitSource } from './formKit.js';
import { AdverseSection } from './sections/AdverseSection.js';
import { AftercareSection } from './sections/AftercareSection.js';
import { ConsentSection } from './sections/ConsentSection.js';
import { DepthSection } from './sections/DepthSection.js';
import { DeviceSection } from './sections/DeviceSection.js';
import { NumbingSection } from './sections/NumbingSection.js';
import { OutcomeSection } from './sections/OutcomeSection.js';
import { ProcedureSection } from './sections/ProcedureSection.js';
import { ResponseSection } from './sections/ResponseSection.js';
import { TechniqueSection } from './sections/TechniqueSection.js';
import { VisitSection } from './sections/VisitSection.js';
import { SectionIndex } from './widgets/SectionIndex.js';
import { useNow } from './widgets/useNow.js';
import '../styles/session.css';

interface Props extends KitSource {
  /** Every field's error of a refused save (forms/useForm.ts), first first; field null: summary only. */
  errors: FormError[];
  saving: boolean;
  submitLabel: string;
  onSubmit: () => void;
  /** More buttons beside Save (e.g. Delete session). */
  actions?: ReactNode;
  /** Shown above the save button, inside the form (e.g. the reason an addendum needs). */
  beforeActions?: ReactNode;
  /** Shown beside Save, e.g. "Draft saved 10:05". */
  status?: ReactNode;
}

/**
 * The session form, for logging and for editing. It holds no state of its own beyond the ticking
 * clock: values and timers live with the page, which saves drafts and talks to the API. The
 * sections (sections/) draw from one kit of values, errors, warnings and marks (formKit.tsx).
 */
export function SessionForm(props: Props) {
  const { timers, errors } = props;
  const running = timers.numbingStartedAt !== null || timers.procedureStartedAt !== null;
  const now = useNow(running);
  const kit = formKit(props, now);
  const status = sectionStatus(
    props.values,
    kit.warnings,
    errors.flatMap((e) => (e.field === null ? [] : [e.field])),
  );

  // Bring the first field named by a refused save into view and focus.
  useEffect(() => {
    const first = errors.find((e) => e.field !== null)?.field;
    if (first) focusControl(controlId(first));
  }, [errors]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit();
  }

  // Ctrl+Enter (⌘+Enter on a Mac) saves from anywhere in the form, the notes included.
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    event.preventDefault();
    if (!props.saving) props.onSubmit();
  }

  return (
    <div className="sf-layout">
      <SectionIndex status={status} carried={props.carriedFrom !== null ? props.marks.fields : []} />
      <form className="sf" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label="Session">
        <VisitSection kit={kit} />
        <DeviceSection kit={kit} />
        <DepthSection kit={kit} />
        <TechniqueSection kit={kit} />
        <NumbingSection kit={kit} />
        <ProcedureSection kit={kit} />
        <ResponseSection kit={kit} />
        <AdverseSection kit={kit} />
        <AftercareSection kit={kit} />
        <OutcomeSection kit={kit} />
        <ConsentSection kit={kit} />

        {props.beforeActions}
        <div className="sf-actions">
          <ErrorSummary title="The session was not saved." errors={errors} idOf={controlId} />
          <div className="sf-action-buttons">
            <button
              type="submit"
              className="button primary sf-save"
              disabled={props.saving}
              aria-keyshortcuts="Control+Enter"
            >
              {props.saving ? 'Saving…' : props.submitLabel}
            </button>
            <span className="sf-shortcut" aria-hidden="true">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
            </span>
            {props.status}
            {props.actions}
          </div>
        </div>
      </form>
    </div>
  );
}
