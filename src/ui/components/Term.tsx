/** A term with its glossary line on hover (title) and on keyboard focus (focusable, described by the same text). */
import type { ReactNode } from 'react';
import { explain, type GlossaryTerm } from '../teaching/glossary';

export function Term({ term, children }: { term: GlossaryTerm; children?: ReactNode }) {
  return (
    <abbr className="term" title={explain(term)} tabIndex={0}>
      {children ?? term}
    </abbr>
  );
}
