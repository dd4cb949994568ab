/** One order (#/orders/:id): items, totals, customer, payment, timeline; ship, cancel, refund and notes. */
import { Link, useParams } from 'wouter';
import { type OrderDetail, refundableCents } from '../../../../shared/contract/backoffice.js';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { Spinner } from '../../components/Spinner.js';
import { errorMessage, isApiError } from '../../lib/api.js';
import { useSyncStore } from '../../lib/stores/sync.js';
import { formatDateTime } from '../../lib/time.js';
import { useChannel } from '../../lib/use-channel.js';
import { useDialogState } from '../../lib/use-dialog-state.js';
import '../workspace.css';
import { CancelDialog } from './CancelDialog.js';
import { FulfillDialog } from './FulfillDialog.js';
import { STATUS_LABELS, STATUS_TONES, canCancel, canFulfill, paymentBadge, shortNumber } from './order-status.js';
import { CustomerPanel, ItemsPanel, PaymentPanel } from './OrderPanels.js';
import './orders.css';
import { OrderTimeline } from './OrderTimeline.js';
import { OFFLINE_REFUND, RefundDialog } from './RefundDialog.js';

const back = <Link href="/orders">← Orders</Link>;

export function OrderDetailScreen() {
  const { id } = useParams<{ id: string }>();
  // order_events: a note or shipment from another device or the admin API shows as soon as it syncs.
  const {
    data: order,
    error,
    reload,
  } = useChannel('orders:get', { id }, { tables: ['orders', 'order_items', 'order_events'] });

  if (!order && error !== undefined)
    return (
      <Page title="Order" back={back}>
        {isApiError(error, 'not_found') || isApiError(error, 'validation_failed') ? (
          <EmptyState title="This order is not on this device">
            It may not have synced yet, or the link is wrong. <Link href="/orders">See all orders</Link>.
          </EmptyState>
        ) : (
          <Banner tone="danger">{errorMessage(error)}</Banner>
        )}
      </Page>
    );
  if (!order)
    return (
      <Page title="Order" back={back}>
        <div className="loading-block">
          <Spinner size={20} label="Loading the order" />
        </div>
      </Page>
    );
  return <OrderView order={order} onChanged={reload} />;
}

type Action = 'fulfill' | 'cancel' | 'refund';

function OrderView({ order, onChanged }: { order: OrderDetail; onChanged: () => void }) {
  const online = useSyncStore((s) => s.status?.online ?? false);
  const dialog = useDialogState<Action>();
  const refundable = refundableCents(order);
  const done = () => {
    dialog.close();
    onChanged();
  };
  const [payment, paymentTone] = paymentBadge(order.payment.status);

  return (
    <Page
      title={`Order #${shortNumber(order.number)}`}
      back={back}
      subtitle={
        <span className="row row-wrap">
          <Badge tone={STATUS_TONES[order.status]}>{STATUS_LABELS[order.status]}</Badge>
          {payment !== STATUS_LABELS[order.status] && <Badge tone={paymentTone}>{payment}</Badge>}
          <span>Placed {formatDateTime(order.createdAt)}</span>
        </span>
      }
      actions={
        <>
          {refundable > 0 && !online && <span className="muted small order-offline-note">{OFFLINE_REFUND}</span>}
          {refundable > 0 && (
            <Button
              disabled={!online}
              title={online ? 'A paid order is cancelled by refunding it in full' : OFFLINE_REFUND}
              onClick={() => dialog.open('refund')}
            >
              Refund…
            </Button>
          )}
          {canCancel(order) && <Button onClick={() => dialog.open('cancel')}>Cancel order…</Button>}
          {canFulfill(order) && (
            <Button variant="primary" onClick={() => dialog.open('fulfill')}>
              Mark as shipped…
            </Button>
          )}
        </>
      }
    >
      {order.needsAttention && (
        <Banner tone="danger">
          <strong>Needs attention.</strong> {order.attentionReason ?? 'Check the payment and stock of this order.'}
        </Banner>
      )}
      <div className="order-layout">
        <div className="stack">
          <ItemsPanel order={order} />
          <OrderTimeline order={order} onChanged={onChanged} />
        </div>
        <div className="stack">
          <CustomerPanel order={order} />
          <PaymentPanel order={order} />
        </div>
      </div>
      {dialog.value === 'fulfill' && <FulfillDialog order={order} onClose={dialog.close} onDone={done} />}
      {dialog.value === 'cancel' && <CancelDialog order={order} onClose={dialog.close} onDone={done} />}
      {dialog.value === 'refund' && <RefundDialog order={order} onClose={dialog.close} onDone={done} />}
    </Page>
  );
}
