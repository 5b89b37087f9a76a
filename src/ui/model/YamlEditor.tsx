/**
 * A plain-text YAML editor with a line-number gutter. Problems are marked at their line in the gutter and listed
 * below; choosing one moves the caret to that line. A textarea keeps it fully keyboard and screen-reader usable.
 */
import { useId, useRef, type UIEvent } from 'react';
import type { YamlProblem } from './summary-types';

interface YamlEditorProps {
  label: string;
  value: string;
  problems: readonly YamlProblem[];
  onChange(value: string): void;
  rows?: number;
}

export function YamlEditor({ label, value, problems, onChange, rows = 22 }: YamlEditorProps) {
  const textRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const problemsId = useId();
  const lineCount = value.split('\n').length;
  const badLines = new Set(problems.map((problem) => problem.line));

  const syncScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    if (gutterRef.current) gutterRef.current.scrollTop = event.currentTarget.scrollTop;
  };

  const goToLine = (line: number) => {
    const area = textRef.current;
    if (!area || line < 1) return;
    const lines = value.split('\n');
    const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 4) * lineHeight);
  };

  return (
    <div className="yaml-editor">
      <div className={problems.length ? 'yaml-frame invalid' : 'yaml-frame'}>
        <div className="yaml-gutter" ref={gutterRef} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={badLines.has(i + 1) ? 'gutter-line bad' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={textRef}
          className="yaml-text"
          aria-label={label}
          aria-invalid={problems.length > 0}
          aria-describedby={problemsId}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          rows={rows}
          value={value}
          onScroll={syncScroll}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
      <div id={problemsId} className="yaml-problems" role="status" aria-live="polite">
        {problems.length === 0 ? (
          <span className="ok">✓ Valid</span>
        ) : (
          <ul aria-label={`${label} errors`}>
            {problems.map((problem, i) => (
              <li key={i} className="yaml-error">
                <button type="button" className="link-button" onClick={() => goToLine(problem.line)}>
                  {problem.line > 0 ? `Line ${problem.line}` : 'YAML'}
                </button>
                : {problem.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
