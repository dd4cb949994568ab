/**
 * A dashboard card: a title with its count, a link to the screen that owns the figures, and a body
 * that keeps its height while loading (skeleton lines), so the grid never jumps when data arrives.
 */
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { Banner } from '../../components/Banner.js';
import { errorMessage } from '../../lib/api.js';

export interface DashCardProps {
  title: string;
  /** A figure beside the title (e.g. "12"). */
  count?: ReactNode;
  href: string;
  linkLabel: string;
  /** Undefined until the first answer. */
  loaded: boolean;
  error?: unknown;
  className?: string;
  children: ReactNode;
}

export function DashCard({ title, count, href, linkLabel, loaded, error, className, children }: DashCardProps) {
  const headingId = `dash-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section className={['dash-card', className].filter(Boolean).join(' ')} aria-labelledby={headingId}>
      <header className="dash-card-header">
        <h2 id={headingId} className="dash-card-title">
          {title}
          {count !== undefined && loaded && <span className="dash-card-count">{count}</span>}
        </h2>
        <Link href={href} className="dash-card-link">
          {linkLabel} <span aria-hidden>→</span>
        </Link>
      </header>
      {/* A failed refresh keeps the last figures: say so above them rather than blanking the card. */}
      {error !== undefined && <Banner tone="danger">{errorMessage(error)}</Banner>}
      {loaded ? children : <SkeletonLines />}
    </section>
  );
}

export function SkeletonLines({ lines = 4 }: { lines?: number }) {
  return (
    <div className="dash-skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton" />
      ))}
    </div>
  );
}

/** One row of a card's list, opening its record. */
export function DashRow({
  href,
  primary,
  secondary,
  trailing,
}: {
  href: string;
  primary: ReactNode;
  secondary?: ReactNode;
  trailing?: ReactNode;
}) {
  return (
    <li>
      <Link href={href} className="dash-row">
        <span className="dash-row-text">
          <span className="dash-row-primary">{primary}</span>
          {secondary !== undefined && <span className="dash-row-secondary">{secondary}</span>}
        </span>
        {trailing !== undefined && <span className="dash-row-trailing">{trailing}</span>}
      </Link>
    </li>
  );
}

/** A quiet line in place of a list that is empty for a good reason. */
export function DashEmpty({ children }: { children: ReactNode }) {
  return (
    <p className="dash-empty">
      <span className="dash-empty-mark" aria-hidden>
        ✓
      </span>
      {children}
    </p>
  );
}
