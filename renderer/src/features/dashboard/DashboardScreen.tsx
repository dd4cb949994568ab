/**
 * The first screen of the day: today's sales, what needs doing (orders to fulfil, low stock,
 * oversells) and the last 30 days of revenue. Everything comes from the local store, so it works
 * offline; each card re-reads when a sync pass changes its tables, and links to its screen.
 */
import { Link } from 'wouter';
import { Page } from '../../components/Page.js';
import { useNow } from '../../components/RelativeTime.js';
import { formatCents, formatCount } from '../../lib/format.js';
import { useChannel } from '../../lib/use-channel.js';
import { DashCard } from './DashCard.js';
import './dashboard.css';
import { SalesChart } from './SalesChart.js';
import { addDays, CHART_DAYS, dailySeries, localDay, localTimeZone, primaryCurrency } from './sales-series.js';
import { TodaySales } from './TodaySales.js';
import { FulfilCard, LowStockCard, OversellsCard, TopProductsCard } from './WorkCards.js';

const SALES_TABLES = ['orders', 'order_items'];
const headingDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

export function DashboardScreen() {
  // Re-evaluated every 30 s: left open overnight, the screen moves on to the new day by itself.
  const now = useNow();
  const today = localDay(now);
  const from = addDays(today, -(CHART_DAYS - 1));
  const timeZone = localTimeZone();
  const todayQuery = useChannel(
    'reports:sales',
    { from: today, to: today, timeZone, groupBy: 'day' },
    { tables: SALES_TABLES },
  );
  const chartQuery = useChannel(
    'reports:sales',
    { from, to: today, timeZone, groupBy: 'day' },
    { tables: SALES_TABLES },
  );

  // The main currency is the one that sold most over the month, so today's tiles and the chart agree.
  const currency = primaryCurrency(chartQuery.data?.totals ?? todayQuery.data?.totals ?? []);
  const yesterday = chartQuery.data?.rows.find((r) => r.period === addDays(today, -1) && r.currency === currency);
  const points = chartQuery.data ? dailySeries(chartQuery.data.rows, from, today, currency) : undefined;
  const monthTotal = chartQuery.data?.totals.find((t) => t.currency === currency);

  return (
    <Page
      title="Dashboard"
      subtitle={headingDate.format(now)}
      actions={
        <Link href="/reports" className="btn btn-secondary btn-md">
          Reports
        </Link>
      }
    >
      <TodaySales today={todayQuery.data?.totals} currency={currency} yesterday={yesterday} />
      <div className="dash-grid">
        <DashCard
          title="Sales, last 30 days"
          href="/reports"
          linkLabel="Sales report"
          loaded={points !== undefined}
          error={chartQuery.error}
          className="dash-card-wide"
        >
          <p className="dash-chart-total">
            <strong>{formatCents(monthTotal?.revenueCents ?? 0, currency)}</strong>{' '}
            <span className="muted">
              from {formatCount(monthTotal?.orders ?? 0)} orders ·{' '}
              {formatCents(monthTotal?.refundsCents ?? 0, currency)} refunded
            </span>
          </p>
          {points && <SalesChart points={points} currency={currency} />}
        </DashCard>
        <FulfilCard />
        <LowStockCard />
        <OversellsCard />
        <TopProductsCard from={from} to={today} timeZone={timeZone} />
      </div>
    </Page>
  );
}
