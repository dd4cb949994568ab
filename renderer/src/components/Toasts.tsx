import { Link } from 'wouter';
import { useToastStore } from '../lib/stores/toasts.js';

/** The toast stack, announced politely to screen readers. */
export function Toasts() {
  const toasts = useToastStore((state) => state.toasts);
  const dismiss = useToastStore((state) => state.dismiss);
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`} role="status">
          <div className="toast-text">
            <div className="toast-title">{toast.title}</div>
            {toast.body && <div className="toast-body">{toast.body}</div>}
          </div>
          {toast.href && (
            <Link href={toast.href} className="toast-action" onClick={() => dismiss(toast.id)}>
              {toast.hrefLabel ?? 'Open'}
            </Link>
          )}
          <button
            type="button"
            className="icon-button toast-close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
