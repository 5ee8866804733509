// Notices from the main process (and local failures) as toasts in a polite live region; each one
// dismisses itself after a while, errors stay longer, and the queue is bounded in the ui slice.
import { memo, useEffect } from 'react';
import { useUiStore, type Toast } from '../store/uiStore';

const LIFETIME_MS: Record<Toast['level'], number> = { info: 6000, warning: 10_000, error: 15_000 };

const ToastItem = memo(function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUiStore((s) => s.dismissToast);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.level]);
    return () => clearTimeout(timer);
  }, [dismiss, toast.id, toast.level]);
  return (
    <div className={`toast toast-${toast.level}`} data-testid="toast" data-level={toast.level}>
      <span className="toast-message">{toast.message}</span>
      <button
        type="button"
        className="btn btn-icon"
        aria-label="Dismiss notification"
        data-testid="toast-dismiss"
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
});

export function Toasts() {
  const toasts = useUiStore((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
