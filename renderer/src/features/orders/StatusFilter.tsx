/** Status multi-select as toggle chips: each is a button with aria-pressed, so Tab and Space work. */
import { ORDER_STATUS_VALUES, type OrderStatus, STATUS_LABELS } from './order-status.js';
import { toggle } from './orders-store.js';

export function StatusFilter({ value, onChange }: { value: OrderStatus[]; onChange: (next: OrderStatus[]) => void }) {
  return (
    <div className="field">
      <span className="field-label" id="order-status-filter">
        Status
      </span>
      <div className="chips" role="group" aria-labelledby="order-status-filter">
        <button type="button" className="chip" aria-pressed={value.length === 0} onClick={() => onChange([])}>
          All
        </button>
        {ORDER_STATUS_VALUES.map((status) => (
          <button
            key={status}
            type="button"
            className="chip"
            aria-pressed={value.includes(status)}
            onClick={() => onChange(toggle(value, status))}
          >
            {STATUS_LABELS[status]}
          </button>
        ))}
      </div>
    </div>
  );
}
