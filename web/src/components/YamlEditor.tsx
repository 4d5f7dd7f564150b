import { forwardRef, useImperativeHandle, useRef } from 'react';

export interface YamlEditorHandle {
  goToLine(line: number): void;
  scrollToLine(line: number): void;
}

/**
 * A plain textarea with a line-number gutter: the server's errors are marked at their lines.
 * A textarea keeps every browser's own editing, undo and screen-reader support.
 */
export const YamlEditor = forwardRef<YamlEditorHandle, { value: string; onChange(value: string): void; badLines: Set<number>; readOnly?: boolean; label: string }>(
  function YamlEditor({ value, onChange, badLines, readOnly, label }, ref) {
    const area = useRef<HTMLTextAreaElement>(null);
    const lines = value.split('\n').length;
    const scrollToLine = (line: number) => {
      const el = area.current;
      if (!el) return;
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
      el.parentElement?.scrollTo({ top: Math.max(0, (line - 5) * lineHeight) });
    };
    useImperativeHandle(ref, () => ({
      scrollToLine,
      goToLine(line: number) {
        const el = area.current;
        if (!el) return;
        const offset = value.split('\n').slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
        const end = offset + (value.split('\n')[line - 1]?.length ?? 0);
        el.focus();
        el.setSelectionRange(offset, end);
        scrollToLine(line);
      },
    }));
    return (
      <div className="editor">
        <div className="gutter" aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={badLines.has(i + 1) ? 'bad' : undefined}>{i + 1}</div>
          ))}
        </div>
        <textarea
          ref={area}
          className="code"
          aria-label={label}
          value={value}
          readOnly={readOnly}
          spellCheck={false}
          rows={lines}
          wrap="off"
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            // Tab indents (two spaces) inside the editor; Esc then Tab leaves it.
            if (e.key === 'Tab' && !e.shiftKey && !readOnly && !(e.currentTarget.dataset['escaped'] === '1')) {
              e.preventDefault();
              const el = e.currentTarget;
              const start = el.selectionStart;
              const next = `${value.slice(0, start)}  ${value.slice(el.selectionEnd)}`;
              onChange(next);
              requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
            }
            e.currentTarget.dataset['escaped'] = e.key === 'Escape' ? '1' : '0';
          }}
        />
      </div>
    );
  },
);
