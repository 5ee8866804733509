// Console: one miner's output with ANSI colours, auto-scroll, and a command input plus XMRig's
// hotkeys (h hashrate, p pause, r resume, s results, c connection) sent through sendConsole.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { commandSchemas } from '../../../shared/contract';
import { useClient } from '../client/ClientContext';
import { LogLineView } from '../components/LogLineView';
import { messageOf, zodErrorMap } from '../forms/fieldErrors';
import { logLinesOf, useLogsStore } from '../store/logsStore';
import { useMinersStore } from '../store/minersStore';
import { isLive } from '../store/selectors';
import { useUiStore } from '../store/uiStore';

const QUICK_KEYS = [
  ['h', 'Hashrate'],
  ['p', 'Pause'],
  ['r', 'Resume'],
  ['s', 'Results'],
  ['c', 'Connection'],
] as const;

function useSelectedMiner(): string | null {
  const selected = useUiStore((s) => s.selectedMinerId);
  const exists = useMinersStore((s) => (selected ? selected in s.byId : false));
  const first = useMinersStore((s) => s.order[0] ?? null);
  return exists ? selected : first;
}

function LogView({ id, autoScroll }: { id: string; autoScroll: boolean }) {
  const version = useLogsStore((s) => s.versions[id] ?? 0);
  const lines = useMemo(() => (version >= 0 ? logLinesOf(id) : []), [id, version]);
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && autoScroll) el.scrollTop = el.scrollHeight;
  }, [lines, autoScroll]);
  // A resize (window, font size, wrapping) moves the bottom without a new line: follow it.
  useEffect(() => {
    const el = ref.current;
    if (!el || !autoScroll || typeof ResizeObserver === 'undefined') return;
    const stick = () => {
      el.scrollTop = el.scrollHeight;
    };
    const observer = new ResizeObserver(stick);
    observer.observe(el);
    return () => observer.disconnect();
  }, [autoScroll]);
  return (
    <div
      ref={ref}
      className="console-log"
      data-testid="console-log"
      role="log"
      aria-label="Miner output"
      aria-live="off"
      tabIndex={0}
    >
      {lines.length === 0 ? (
        <p className="muted">No output yet.</p>
      ) : (
        lines.map((l) => <LogLineView key={l.seq} line={l} />)
      )}
    </div>
  );
}

export function ConsolePage() {
  const client = useClient();
  const id = useSelectedMiner();
  const ids = useMinersStore((s) => s.order);
  const names = useMinersStore(useShallow((s) => s.order.map((mid) => s.byId[mid]?.name ?? mid)));
  const live = useMinersStore((s) => (id ? isLive(s.byId[id]?.state ?? 'stopped') : false));
  const [autoScroll, setAutoScroll] = useState(true);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    client
      .getLogs({ id })
      .then((res) => !cancelled && useLogsStore.getState().merge(id, res.lines))
      .catch((err: unknown) => !cancelled && setError(messageOf(err)));
    return () => {
      cancelled = true;
    };
  }, [client, id]);

  const send = async (text: string) => {
    if (!id) return;
    const parsed = commandSchemas.sendConsole.safeParse({ id, input: text });
    if (!parsed.success) {
      setError(Object.values(zodErrorMap(parsed.error))[0] ?? 'Invalid input');
      return;
    }
    setSending(true);
    setError(null);
    try {
      await client.sendConsole({ id, input: text });
      if (text === input) setInput('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSending(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send(input);
  };

  return (
    <div className="page console-page" data-testid="page-console">
      <h1 className="page-title">Console</h1>
      {!id ? (
        <p className="empty">No miners to show. Start one on the Miners page.</p>
      ) : (
        <>
          <div className="inline-form">
            <label htmlFor="console-miner">Miner</label>
            <select
              id="console-miner"
              value={id}
              onChange={(e) => useUiStore.getState().selectMiner(e.target.value)}
              data-testid="console-miner-select"
            >
              {ids.map((mid, i) => (
                <option key={mid} value={mid}>
                  {names[i] ?? mid}
                </option>
              ))}
            </select>
            <input
              id="console-autoscroll"
              type="checkbox"
              checked={autoScroll}
              onChange={(e) => setAutoScroll(e.target.checked)}
              data-testid="console-autoscroll"
            />
            <label htmlFor="console-autoscroll">Auto-scroll</label>
          </div>
          <LogView id={id} autoScroll={autoScroll} />
          <form className="inline-form console-form" onSubmit={onSubmit}>
            <label htmlFor="console-input" className="visually-hidden">
              Command
            </label>
            <input
              id="console-input"
              value={input}
              onChange={(e) => setInput(e.target.value)}
              placeholder={live ? 'Type a command or key and press Enter' : 'Miner is not running'}
              autoComplete="off"
              spellCheck={false}
              maxLength={256}
              disabled={!live}
              data-testid="console-input"
              aria-describedby={error ? 'console-error' : undefined}
            />
            <button
              type="submit"
              className="btn btn-primary"
              disabled={!live || sending}
              data-testid="console-send"
            >
              Send
            </button>
            <div className="button-group" role="group" aria-label="XMRig hotkeys">
              {QUICK_KEYS.map(([key, label]) => (
                <button
                  key={key}
                  type="button"
                  className="btn btn-small"
                  disabled={!live || sending}
                  title={label}
                  aria-label={`${label} (${key})`}
                  onClick={() => void send(key)}
                  data-testid={`console-key-${key}`}
                >
                  {key}
                </button>
              ))}
            </div>
          </form>
          {error && (
            <p className="field-error" role="alert" id="console-error" data-testid="console-error">
              {error}
            </p>
          )}
        </>
      )}
    </div>
  );
}
