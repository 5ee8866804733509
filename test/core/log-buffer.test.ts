// The per-instance log ring: bounded lines, bounded line length, ANSI kept, sequence numbers.
import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/shared/buffers/log-buffer';

describe('LogBuffer', () => {
  it('keeps only the newest lines up to its capacity', () => {
    const log = new LogBuffer({ maxLines: 1000 });
    for (let i = 1; i <= 2500; i++) log.push('stdout', `line ${i}`, 1);
    expect(log.size).toBe(1000);
    const lines = log.since(0);
    expect(lines[0]!.text).toBe('line 1501');
    expect(lines.at(-1)!.text).toBe('line 2500');
  });

  it('caps long lines and keeps ANSI colour codes intact', () => {
    const log = new LogBuffer({ maxLineLength: 2000 });
    const line = log.push('stdout', 'x'.repeat(5000), 1);
    expect(line.text.length).toBe(2001);
    const ansi = '\u001b[1;32m * \u001b[0mABOUT';
    expect(log.push('stdout', ansi, 1).text).toBe(ansi);
  });

  it('returns lines after a sequence number, limited to the newest', () => {
    const log = new LogBuffer({ now: () => 42 });
    for (let i = 1; i <= 10; i++) log.push('stderr', `l${i}`, 2);
    expect(log.since(7).map((l) => l.text)).toEqual(['l8', 'l9', 'l10']);
    expect(log.since(0, 2).map((l) => l.seq)).toEqual([9, 10]);
    expect(log.since(0)[0]).toMatchObject({ at: 42, stream: 'stderr', generation: 2 });
  });

  it('gives the last lines of one generation for error reasons', () => {
    const log = new LogBuffer();
    log.push('stdout', 'old', 1);
    log.push('stdout', 'new a', 2);
    log.push('stdout', 'new b', 2);
    expect(log.lastText(5, 2)).toEqual(['new a', 'new b']);
  });

  it('keeps a line of exactly the maximum length whole', () => {
    const log = new LogBuffer({ maxLineLength: 10 });
    expect(log.push('stdout', '0123456789', 1).text).toBe('0123456789');
    expect(log.push('stdout', '0123456789a', 1).text).toBe('0123456789…');
  });

  it('returns every line when fewer than the limit exist', () => {
    const log = new LogBuffer();
    for (const t of ['a', 'b', 'c']) log.push('stdout', t, 1);
    expect(log.since(0, 5).map((l) => l.text)).toEqual(['a', 'b', 'c']);
  });

  it('gives the last n lines of any generation when none is named', () => {
    const log = new LogBuffer();
    log.push('stdout', 'one', 1);
    log.push('stdout', 'two', 2);
    log.push('stdout', 'three', 2);
    expect(log.lastText(2)).toEqual(['two', 'three']);
    expect(log.lastText(1, 2)).toEqual(['three']);
  });
});
