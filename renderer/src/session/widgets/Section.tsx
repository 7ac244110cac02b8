import type { ReactNode } from 'react';
import type { SectionId } from '../formSections.js';

export const sectionDomId = (id: SectionId) => `sf-section-${id}`;

export function Section({
  id,
  title,
  carried,
  children,
}: {
  id: SectionId;
  title: string;
  carried?: number | null;
  children: ReactNode;
}) {
  const headingId = `${sectionDomId(id)}-title`;
  return (
    <section
      id={sectionDomId(id)}
      className={carried ? 'sf-section is-carried' : 'sf-section'}
      aria-labelledby={headingId}
    >
      <div className="sf-section-head">
        <h2 id={headingId} tabIndex={-1}>
          {title}
        </h2>
        {carried ? <span className="sf-carried">Carried forward from session {carried}</span> : null}
      </div>
      {children}
    </section>
  );
}
