import { FORM_SECTIONS, type SectionId, type SectionStatus } from '../formSections.js';
import type { CarriedField } from '../formValues.js';
import { sectionDomId } from './Section.js';

/** Words for a section's state, for the index's accessible names and tooltips. */
function statusWords(s: SectionStatus, carried: boolean): string {
  const words = [
    s.error ? 'has an error' : null,
    s.warnings > 0 ? `${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}` : null,
    s.filled ? 'filled in' : 'empty',
    carried ? 'carried forward' : null,
  ];
  return words.filter(Boolean).join(', ');
}

/**
 * The form's table of contents, beside it on wide screens and above it on narrow ones: one button
 * per section that brings it into view, marked when it holds something, a warning or an error.
 */
export function SectionIndex({
  status,
  carried,
}: {
  status: Record<SectionId, SectionStatus>;
  carried: readonly CarriedField[];
}) {
  const jump = (id: SectionId) => {
    const section = document.getElementById(sectionDomId(id));
    section?.scrollIntoView({ block: 'start' });
    section?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
  };
  return (
    <nav className="sf-index" aria-label="Sections of the session form">
      <p className="sf-index-title" aria-hidden="true">
        Sections
      </p>
      <ul>
        {FORM_SECTIONS.map((s) => {
          const st = status[s.id];
          const isCarried = (s.fields as readonly string[]).some((f) => carried.includes(f as CarriedField));
          const state = st.error
            ? 'is-error'
            : st.warnings > 0
              ? 'is-warn'
              : st.filled
                ? 'is-filled'
                : 'is-empty';
          return (
            <li key={s.id}>
              <button type="button" className={`sf-index-item ${state}`} onClick={() => jump(s.id)}>
                <span className="sf-index-dot" aria-hidden="true">
                  {st.error ? '!' : st.warnings > 0 ? '⚠' : st.filled ? '✓' : ''}
                </span>
                <span className="sf-index-name">{s.title}</span>
                {/* The state in words: part of the button's name, after its visible title. */}
                <span className="visually-hidden">: {statusWords(st, isCarried)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
