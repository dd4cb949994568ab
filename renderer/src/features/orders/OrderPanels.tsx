/** The order detail's read-only panels: items with totals, customer and addresses, payment and shipping. */
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';
import { Badge } from '../../components/Badge.js';
import { Money } from '../../components/Money.js';
import { formatCount } from '../../lib/format.js';
import { countLabel } from '../../lib/saved.js';
import { formatDateTime } from '../../lib/time.js';
import { paymentBadge } from './order-status.js';

type Address = NonNullable<OrderDetail['billingAddress']>;

export function ItemsPanel({ order }: { order: OrderDetail }) {
  const money = (cents: number) => <Money cents={cents} currency={order.currency} />;
  return (
    <section className="panel" aria-labelledby="order-items-title">
      <header className="panel-header">
        <h2 className="panel-title" id="order-items-title">
          Items
        </h2>
        <span className="muted small">
          {countLabel(
            order.items.reduce((n, i) => n + i.quantity, 0),
            false,
            'unit',
            'units',
          )}
        </span>
      </header>
      <table className="order-items">
        <thead>
          <tr>
            <th>Product</th>
            <th className="num">Price</th>
            <th className="num">Qty</th>
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item, index) => (
            <tr key={`${item.variantId ?? item.sku}-${index}`}>
              <td>
                <div className="cell-stack">
                  <span>{item.name}</span>
                  <span className="cell-sub mono">{item.sku}</span>
                </div>
              </td>
              <td className="num">{money(item.unitPriceCents)}</td>
              <td className="num">× {formatCount(item.quantity)}</td>
              <td className="num">{money(item.lineTotalCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{money(order.subtotalCents)}</dd>
        <dt>Shipping</dt>
        <dd>{money(order.shippingCents)}</dd>
        <dt>Tax</dt>
        <dd>{money(order.taxCents)}</dd>
        <dt className="totals-grand">Total</dt>
        <dd className="totals-grand">{money(order.totalCents)}</dd>
        {order.refundedCents > 0 && (
          <>
            <dt>Refunded</dt>
            <dd>
              <Money cents={-order.refundedCents} currency={order.currency} />
            </dd>
            <dt className="strong">Net</dt>
            <dd className="strong">{money(order.totalCents - order.refundedCents)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

function AddressBlock({ address }: { address: Address }) {
  const lines = [
    address.name,
    address.company,
    address.line1,
    address.line2,
    [address.postalCode, address.city].filter(Boolean).join(' '),
    [address.region, address.country].filter(Boolean).join(', '),
    address.phone,
  ].filter(Boolean);
  return (
    <address className="address">
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
    </address>
  );
}

export function CustomerPanel({ order }: { order: OrderDetail }) {
  return (
    <section className="panel" aria-labelledby="order-customer-title">
      <header className="panel-header">
        <h2 className="panel-title" id="order-customer-title">
          Customer
        </h2>
      </header>
      <div className="panel-body stack">
        <div className="cell-stack">
          <span className="strong">{order.shippingAddress.name}</span>
          <a href={`mailto:${order.email}`}>{order.email}</a>
        </div>
        <div>
          <div className="field-label">Ship to</div>
          <AddressBlock address={order.shippingAddress} />
        </div>
        <div>
          <div className="field-label">Bill to</div>
          {order.billingAddress ? (
            <AddressBlock address={order.billingAddress} />
          ) : (
            <span className="muted">Same as shipping</span>
          )}
        </div>
      </div>
    </section>
  );
}

export function PaymentPanel({ order }: { order: OrderDetail }) {
  const [label, tone] = paymentBadge(order.payment.status);
  const shipping = order.fulfillment;
  return (
    <section className="panel" aria-labelledby="order-payment-title">
      <header className="panel-header">
        <h2 className="panel-title" id="order-payment-title">
          Payment and shipping
        </h2>
      </header>
      <div className="panel-body">
        <dl className="kv">
          <dt>Payment</dt>
          <dd>
            <Badge tone={tone}>{label}</Badge> <span className="muted">via {order.payment.provider}</span>
          </dd>
          {order.paidAt && (
            <>
              <dt>Paid</dt>
              <dd>{formatDateTime(order.paidAt)}</dd>
            </>
          )}
          <dt>Carrier</dt>
          <dd>{shipping?.carrier ?? <span className="muted">Not shipped</span>}</dd>
          {shipping?.trackingNumber && (
            <>
              <dt>Tracking</dt>
              <dd className="mono">{shipping.trackingNumber}</dd>
            </>
          )}
          {shipping?.shippedAt && (
            <>
              <dt>Shipped</dt>
              <dd>{formatDateTime(shipping.shippedAt)}</dd>
            </>
          )}
        </dl>
      </div>
    </section>
  );
}
