// @vitest-environment jsdom
// Console: backlog fetched on select, ANSI colours as spans, markup never interpreted, commands sent.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientProvider } from '../client/ClientContext';
import { useMinersStore } from '../store/minersStore';
import { resetStores } from '../store/sync';
import { useLogsStore } from '../store/logsStore';
import { createFakeClient } from '../test/fakeClient';
import { makeMiner } from '../test/fixtures';
import { ConsolePage } from './ConsolePage';

afterEach(() => {
  cleanup();
  resetStores();
});

describe('ConsolePage', () => {
  it('fetches the backlog, renders ANSI colours as spans and shows markup as text', async () => {
    const client = createFakeClient({
      miners: [makeMiner({ id: 'm1' })],
      logs: {
        m1: [
          { seq: 1, at: 1, stream: 'stdout', text: '\u001b[32mspeed\u001b[0m 10s', generation: 1 },
          { seq: 2, at: 2, stream: 'stderr', text: '<img src=x onerror=alert(1)>', generation: 1 },
        ],
      },
    });
    useMinersStore.getState().setAll(client.state.miners);
    render(
      <ClientProvider client={client}>
        <ConsolePage />
      </ClientProvider>,
    );
    await vi.waitFor(() => expect(screen.getAllByTestId('console-line')).toHaveLength(2));
    expect(client.callsOf('getLogs')).toEqual([{ id: 'm1' }]);
    const log = screen.getByTestId('console-log');
    expect(log.querySelector('.ansi-green-fg')?.textContent).toBe('speed');
    expect(log.querySelector('img')).toBeNull();
    expect(log.textContent).toContain('<img src=x onerror=alert(1)>');
    act(() =>
      useLogsStore.getState().append('m1', [{ seq: 3, at: 3, stream: 'stdout', text: 'new', generation: 1 }]),
    );
    expect(screen.getAllByTestId('console-line')).toHaveLength(3);
  });

  it('sends typed commands and quick keys', async () => {
    const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
    useMinersStore.getState().setAll(client.state.miners);
    render(
      <ClientProvider client={client}>
        <ConsolePage />
      </ClientProvider>,
    );
    fireEvent.click(screen.getByTestId('console-key-h'));
    await vi.waitFor(() =>
      expect((screen.getByTestId('console-send') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.change(screen.getByTestId('console-input'), { target: { value: 'p' } });
    fireEvent.click(screen.getByTestId('console-send'));
    await vi.waitFor(() =>
      expect(client.callsOf('sendConsole')).toEqual([
        { id: 'm1', input: 'h' },
        { id: 'm1', input: 'p' },
      ]),
    );
  });

  it('keeps the log at the bottom when it is resized with auto-scroll on, and leaves it when off', () => {
    const observers: { cb: ResizeObserverCallback; el: Element | null }[] = [];
    vi.stubGlobal(
      'ResizeObserver',
      class {
        el: Element | null = null;
        constructor(readonly cb: ResizeObserverCallback) {
          observers.push(this);
        }
        observe(el: Element) {
          this.el = el;
        }
        disconnect() {
          observers.splice(observers.indexOf(this), 1);
        }
      },
    );
    try {
      const client = createFakeClient({ miners: [makeMiner({ id: 'm1' })] });
      useMinersStore.getState().setAll(client.state.miners);
      render(
        <ClientProvider client={client}>
          <ConsolePage />
        </ClientProvider>,
      );
      const log = screen.getByTestId('console-log');
      let height = 500;
      Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => height });
      log.scrollTop = 0;
      height = 900; // the window got narrower: lines wrap, the content grows without a new line
      act(() => observers.forEach((o) => o.cb([], o as unknown as ResizeObserver)));
      expect(log.scrollTop).toBe(900);
      fireEvent.click(screen.getByTestId('console-autoscroll'));
      expect(observers).toHaveLength(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
