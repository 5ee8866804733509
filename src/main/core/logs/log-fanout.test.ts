// The log fan-out on a fake clock: lines land in the miner's buffer at once, go out in one batch per miner
// per flush interval, a flooding miner's batch keeps only its newest lines, and a forgotten miner's are dropped.
import { describe, expect, it } from 'vitest';
import type { LogBatch } from '../../../shared/contract';
import { LogBuffer } from '../../../shared/buffers/log-buffer';
import { FakeClock } from '../util/clock';
import { LogFanout } from './log-fanout';

function setup(maxPending?: number) {
  const clock = new FakeClock(1000);
  const batches: LogBatch[] = [];
  const fanout = new LogFanout({ clock, flushMs: 100, emit: (b) => batches.push(b), maxPending });
  const texts = () => batches.map((b) => [b.id, b.lines.map((l) => l.text)]);
  return { clock, batches, fanout, texts };
}

describe('LogFanout', () => {
  it('stores each line in the buffer at once and returns it as stored', () => {
    const { fanout, batches } = setup();
    const buffer = new LogBuffer({ now: () => 5 });
    const line = fanout.append('a', buffer, 'stderr', 'boom', 3);
    expect(line).toEqual({ seq: 1, at: 5, stream: 'stderr', text: 'boom', generation: 3 });
    expect(buffer.toArray()).toEqual([line]);
    expect(batches).toEqual([]);
  });

  it('sends one batch per miner once the flush interval has passed since the first queued line', async () => {
    const { clock, fanout, texts } = setup();
    const a = new LogBuffer();
    const b = new LogBuffer();
    fanout.append('a', a, 'stdout', 'a1', 1);
    await clock.advance(60);
    fanout.append('b', b, 'stdout', 'b1', 1);
    fanout.append('a', a, 'stdout', 'a2', 1);
    await clock.advance(39);
    expect(texts()).toEqual([]);
    await clock.advance(1);
    expect(texts()).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1']],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('starts a new interval for lines after a flush, and sends nothing when nothing is queued', async () => {
    const { clock, fanout, texts } = setup();
    const a = new LogBuffer();
    fanout.append('a', a, 'stdout', 'one', 1);
    await clock.advance(100);
    fanout.append('a', a, 'stdout', 'two', 1);
    await clock.advance(99);
    expect(texts()).toEqual([['a', ['one']]]);
    await clock.advance(1);
    expect(texts()).toEqual([
      ['a', ['one']],
      ['a', ['two']],
    ]);
    await clock.advance(1000);
    fanout.flush();
    expect(texts()).toHaveLength(2);
  });

  it('flush sends at once and cancels the pending timer', async () => {
    const { clock, fanout, texts } = setup();
    fanout.append('a', new LogBuffer(), 'stdout', 'now', 1);
    fanout.flush();
    expect(texts()).toEqual([['a', ['now']]]);
    expect(clock.pending).toBe(0);
    await clock.advance(500);
    expect(texts()).toHaveLength(1);
  });

  it('keeps only the newest lines of a flooding miner in its batch (1000 by default)', async () => {
    const small = setup(3);
    const buffer = new LogBuffer();
    for (let i = 1; i <= 5; i++) small.fanout.append('a', buffer, 'stdout', `l${i}`, 1);
    await small.clock.advance(100);
    expect(small.texts()).toEqual([['a', ['l3', 'l4', 'l5']]]);
    expect(buffer.size).toBe(5);

    const dflt = setup();
    const big = new LogBuffer({ maxLines: 2000 });
    for (let i = 1; i <= 1001; i++) dflt.fanout.append('a', big, 'stdout', `l${i}`, 1);
    dflt.fanout.flush();
    const lines = dflt.batches[0]!.lines;
    expect(lines).toHaveLength(1000);
    expect([lines[0]!.text, lines.at(-1)!.text]).toEqual(['l2', 'l1001']);
  });

  it('drops the queued lines of a forgotten miner, not those of the others', async () => {
    const { clock, fanout, texts } = setup();
    fanout.append('a', new LogBuffer(), 'stdout', 'a1', 1);
    fanout.append('b', new LogBuffer(), 'stdout', 'b1', 1);
    fanout.forget('a');
    await clock.advance(100);
    expect(texts()).toEqual([['b', ['b1']]]);
  });
});
