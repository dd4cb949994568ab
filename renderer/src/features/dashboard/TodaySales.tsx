/**
 * Today's figures as four tiles (orders, revenue, average order value, refunds), each compared with
 * yesterday. A store selling in several currencies headlines its main one and lists the others.
 */
import type { ReactNode } from 'react';
import { Money } from '../../components/Money.js';
import { formatCents, formatCount } from '../../lib/format.js';
import { change, type SalesFigures, zeroFigures } from './sales-series.js';

export interface TodaySalesProps {
  /** Undefined while loading. */
  today: readonly SalesFigures[] | undefined;
  currency: string;
  yesterday: SalesFigures | undefined;
}

export function TodaySales({ today, currency, yesterday }: TodaySalesProps) {
  const loaded = today !== undefined;
  const main = today?.find((f) => f.currency === currency) ?? zeroFigures(currency);
  const others = today?.filter((f) => f.currency !== currency) ?? [];
  const before = yesterday ?? zeroFigures(currency);
  return (
    <section className="kpis" aria-label="Today's sales">
      <Kpi
        label="Orders today"
        loaded={loaded}
        delta={<Delta now={main.orders} before={before.orders} goodWhenUp none="No sales yesterday" />}
      >
        {formatCount(main.orders)}
      </Kpi>
      <Kpi
        label="Revenue today"
        loaded={loaded}
        delta={<Delta now={main.revenueCents} before={before.revenueCents} goodWhenUp none="No sales yesterday" />}
      >
        <Money cents={main.revenueCents} currency={currency} />
      </Kpi>
      <Kpi
        label="Average order value"
        loaded={loaded}
        delta={
          <Delta
            now={main.averageOrderValueCents}
            before={before.averageOrderValueCents}
            goodWhenUp
            none="No sales yesterday"
          />
        }
      >
        <Money cents={main.averageOrderValueCents} currency={currency} />
      </Kpi>
      <Kpi
        label="Refunds today"
        loaded={loaded}
        delta={<Delta now={main.refundsCents} before={before.refundsCents} goodWhenUp={false} none="None yesterday" />}
      >
        <Money cents={main.refundsCents} currency={currency} />
      </Kpi>
      {others.length > 0 && (
        <p className="kpis-note">
          Also today:{' '}
          {others
            .map(
              (f) => `${formatCents(f.revenueCents, f.currency)} from ${formatCount(f.orders)} orders in ${f.currency}`,
            )
            .join('; ')}
        </p>
      )}
    </section>
  );
}

function Kpi({
  label,
  loaded,
  delta,
  children,
}: {
  label: string;
  loaded: boolean;
  delta: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      {loaded ? (
        <>
          <div className="kpi-value">{children}</div>
          <div className="kpi-delta">{delta}</div>
        </>
      ) : (
        <div className="kpi-loading" aria-busy="true">
          <span className="skeleton" />
          <span className="skeleton" />
        </div>
      )}
    </div>
  );
}

/** "▲ 12% vs yesterday", green when the move is good news, red when bad. */
export function Delta({
  now,
  before,
  goodWhenUp,
  none,
}: {
  now: number;
  before: number;
  goodWhenUp: boolean;
  /** Said when yesterday had nothing to compare with. */
  none: string;
}) {
  const ratio = change(now, before);
  if (ratio === null) return <span className="muted">{none}</span>;
  if (ratio === 0) return <span className="muted">Same as yesterday</span>;
  const up = ratio > 0;
  const tone = up === goodWhenUp ? 'delta-good' : 'delta-bad';
  const percent = Math.abs(ratio * 100);
  return (
    <span className={tone}>
      <span aria-hidden>{up ? '▲' : '▼'}</span> {up ? 'Up' : 'Down'}{' '}
      {percent < 10 ? percent.toFixed(1) : Math.round(percent)}% vs yesterday
    </span>
  );
}
