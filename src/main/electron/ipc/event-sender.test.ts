import { describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { FakeService, miner } from '../testing/fakes';
import { createEventSender, forwardServiceEvents, pickVictim, type EventSink } from './event-sender';

class FakeSink implements EventSink {
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  throwOnSend = false;
  send(channel: string, payload: unknown): void {
    if (this.throwOnSend) throw new Error('An object could not be cloned.');
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  channels(): string[] {
    return this.sent.map((s) => s.channel);
  }
}

const stats = (at: number) => ({ at, miners: [] });
const notice = (message: string) => ({ level: 'info' as const, message });

describe('createEventSender', () => {
  it('drops events while no window is attached (a new window starts from getSnapshot)', () => {
    const sender = createEventSender();
    sender.send('stats', stats(1));
    const sink = new FakeSink();
    sender.attach(sink);
    sender.ready(sink);
    expect(sink.sent).toEqual([]);
  });

  it('queues events until the renderer is ready, then flushes them in order', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.send('notice', notice('a'));
    sender.send('stats', stats(1));
    sender.send('minerState', miner({ id: 'x' }));
    expect(sink.sent).toEqual([]);
    expect(sender.queued).toBe(3);

    sender.ready(sink);
    expect(sink.channels()).toEqual(['evt:notice', 'evt:stats', 'evt:minerState']);
    expect(sink.sent[0]?.payload).toEqual(notice('a'));
    expect(sender.queued).toBe(0);
  });

  it('sends directly once ready', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.ready(sink);
    sender.send('stats', stats(2));
    expect(sink.sent).toEqual([{ channel: 'evt:stats', payload: stats(2) }]);
  });

  it('flushes only once when ready is signalled twice (renderer-ready and did-finish-load)', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.send('notice', notice('once'));
    sender.ready(sink);
    sender.ready(sink);
    expect(sink.sent).toHaveLength(1);
  });

  it('queues again while the page reloads', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.ready(sink);
    sender.unready(sink);
    sender.send('stats', stats(3));
    expect(sink.sent).toEqual([]);
    sender.ready(sink);
    expect(sink.channels()).toEqual(['evt:stats']);
  });

  describe('when the queue is full', () => {
    it('drops the oldest stats batch first and keeps state changes', () => {
      const sender = createEventSender({ maxQueue: 3 });
      const sink = new FakeSink();
      sender.attach(sink);
      sender.send('minerState', miner({ id: 'a' }));
      sender.send('stats', stats(1));
      sender.send('stats', stats(2));
      sender.send('notice', notice('late'));
      expect(sender.queued).toBe(3);
      expect(sender.dropped).toBe(1);
      sender.ready(sink);
      expect(sink.channels()).toEqual(['evt:minerState', 'evt:stats', 'evt:notice']);
      expect(sink.sent[1]?.payload).toEqual(stats(2));
    });

    it('drops log batches once no stats are left, then the oldest event', () => {
      const sender = createEventSender({ maxQueue: 2 });
      const sink = new FakeSink();
      sender.attach(sink);
      sender.send('notice', notice('1'));
      sender.send('log', { id: 'a', lines: [] });
      sender.send('notice', notice('2')); // drops the log
      sender.send('notice', notice('3')); // no stats or logs left: drops the oldest
      sender.ready(sink);
      expect(sink.sent.map((s) => s.payload)).toEqual([notice('2'), notice('3')]);
      expect(sender.dropped).toBe(2);
    });

    it('never holds more than maxQueue events however many arrive', () => {
      const sender = createEventSender({ maxQueue: 10 });
      const sink = new FakeSink();
      sender.attach(sink);
      for (let i = 0; i < 1000; i += 1) sender.send('stats', stats(i));
      expect(sender.queued).toBe(10);
      sender.ready(sink);
      // The newest batches survive.
      expect(sink.sent.map((s) => (s.payload as { at: number }).at)).toEqual([
        990, 991, 992, 993, 994, 995, 996, 997, 998, 999,
      ]);
    });
  });

  it('pickVictim prefers stats, then logs, then the oldest entry', () => {
    const q = (events: EventName[]) => events.map((event) => ({ event, payload: null }));
    expect(pickVictim(q(['notice', 'log', 'stats', 'stats']))).toBe(2);
    expect(pickVictim(q(['notice', 'minerState', 'log']))).toBe(2);
    expect(pickVictim(q(['settings', 'notice']))).toBe(0);
  });

  it('forgets the queue and stops sending when the window is detached', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.send('stats', stats(1));
    sender.detach(sink);
    expect(sender.queued).toBe(0);
    sender.send('stats', stats(2));
    expect(sink.sent).toEqual([]);
  });

  it("ignores an old window's late signals once a new window is attached", () => {
    const sender = createEventSender();
    const oldSink = new FakeSink();
    const newSink = new FakeSink();
    sender.attach(oldSink);
    sender.attach(newSink);
    sender.send('notice', notice('for the new window'));
    sender.ready(oldSink);
    sender.detach(oldSink);
    expect(sender.queued).toBe(1);
    sender.ready(newSink);
    expect(newSink.sent).toHaveLength(1);
    expect(oldSink.sent).toEqual([]);
  });

  it('stops sending to a destroyed webContents', () => {
    const sender = createEventSender();
    const sink = new FakeSink();
    sender.attach(sink);
    sender.ready(sink);
    sink.destroyed = true;
    sender.send('stats', stats(1));
    expect(sink.sent).toEqual([]);
    expect(sender.isReady).toBe(false);
  });

  it('reports a failing send and keeps going', () => {
    const onError = vi.fn();
    const sender = createEventSender({ onError });
    const sink = new FakeSink();
    sender.attach(sink);
    sender.ready(sink);
    sink.throwOnSend = true;
    expect(() => sender.send('stats', stats(1))).not.toThrow();
    expect(onError).toHaveBeenCalledWith('stats', expect.any(Error));
    sink.throwOnSend = false;
    sender.send('stats', stats(2));
    expect(sink.sent).toHaveLength(1);
  });
});

describe('forwardServiceEvents', () => {
  it('forwards every service event to the sender and unsubscribes on dispose', () => {
    const service = new FakeService();
    const send = vi.fn();
    const off = forwardServiceEvents(service, { send });
    service.emit('stats', stats(5));
    service.emit('notice', notice('hi'));
    expect(send.mock.calls).toEqual([
      ['stats', stats(5)],
      ['notice', notice('hi')],
    ]);
    for (const e of ['minerState', 'stats', 'log', 'profiles', 'settings', 'notice'] as const) {
      expect(service.listenerCount(e)).toBe(1);
    }
    off();
    service.emit('stats', stats(6));
    expect(send).toHaveBeenCalledTimes(2);
    expect(service.listenerCount('stats')).toBe(0);
  });
});
