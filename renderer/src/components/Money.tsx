import { formatCents } from '../lib/format.js';

/** Integer minor units + ISO currency, formatted for the user's locale (e.g. 1234 USD → $12.34). */
export function Money({
  cents,
  currency,
  className,
}: {
  cents: number | null | undefined;
  currency: string;
  className?: string;
}) {
  if (cents === null || cents === undefined)
    return <span className={['money', 'muted', className].filter(Boolean).join(' ')}>—</span>;
  return (
    <span className={['money', cents < 0 ? 'money-negative' : '', className].filter(Boolean).join(' ')}>
      {formatCents(cents, currency)}
    </span>
  );
}
