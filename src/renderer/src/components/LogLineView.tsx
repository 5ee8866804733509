// One console line rendered as React text spans from ANSI segments (never raw HTML). Memoised per
// line object: a line is parsed once, however many lines arrive after it.
import { memo } from 'react';
import type { LogLine } from '../../../shared/model';
import { ansiSegments } from '../format/ansi';

export const LogLineView = memo(function LogLineView({ line }: { line: LogLine }) {
  return (
    <div className={`log-line log-${line.stream}`} data-testid="console-line" data-seq={line.seq}>
      {ansiSegments(line.text).map((seg, i) => (
        <span
          key={i}
          className={seg.className || undefined}
          style={seg.color || seg.background ? { color: seg.color, background: seg.background } : undefined}
        >
          {seg.text}
        </span>
      ))}
    </div>
  );
});
