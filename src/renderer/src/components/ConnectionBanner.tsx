// Browser mode: a banner while the connection to HashDeck is lost (the page reconnects by itself), and
// once it is back, what changed meanwhile (miners stopped, restarted, gone) until dismissed.
import { useEffect } from 'react';
import { formatClock } from '../format/time';
import { useUiStore } from '../store/uiStore';
import { useNow } from './useNow';

/** A reconnect where nothing changed says so briefly and then gets out of the way. */
const QUIET_RECONNECT_MS = 5000;

export function ConnectionBanner() {
  const connection = useUiStore((s) => s.connection);
  const dismiss = useUiStore((s) => s.dismissChanges);
  const now = useNow(!connection.online && !connection.refused);
  const nothingChanged = connection.online && connection.changes?.length === 0;
  useEffect(() => {
    if (!nothingChanged) return;
    const timer = setTimeout(dismiss, QUIET_RECONNECT_MS);
    return () => clearTimeout(timer);
  }, [nothingChanged, dismiss]);

  if (!connection.online) {
    const seconds = connection.since === null ? 0 : Math.max(0, Math.round((now - connection.since) / 1000));
    return (
      <div
        className="banner banner-offline"
        role="alert"
        data-testid="connection-banner"
        data-state="offline"
      >
        {connection.refused ? (
          <p>
            HashDeck is running again but no longer accepts this page (it restarted with a new access token).
            Open the link it printed when it started.
          </p>
        ) : (
          <p>
            Lost the connection to HashDeck
            {connection.since !== null && ` at ${formatClock(connection.since)}`}. Reconnecting… ({seconds} s)
            Miners keep running on their own; the numbers here are not updated meanwhile.
          </p>
        )}
      </div>
    );
  }
  if (connection.changes === null) return null;
  return (
    <div
      className="banner banner-back"
      role="status"
      data-testid="connection-banner"
      data-state="reconnected"
    >
      <div>
        <p>
          <strong>Connection restored.</strong>{' '}
          {connection.changes.length === 0 ? 'Nothing changed while it was lost.' : 'While it was lost:'}
        </p>
        {connection.changes.length > 0 && (
          <ul data-testid="connection-changes">
            {connection.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
      </div>
      <button
        type="button"
        className="btn btn-small"
        onClick={dismiss}
        data-testid="connection-dismiss"
        aria-label="Dismiss the connection message"
      >
        Dismiss
      </button>
    </div>
  );
}
