import { type ReactNode, useEffect } from 'react';

export interface PageProps {
  title: string;
  /** A line under the title: a count, a filter summary. */
  subtitle?: ReactNode;
  /** Buttons on the right of the title. */
  actions?: ReactNode;
  /** A back link or breadcrumb above the title. */
  back?: ReactNode;
  /** Fills the height (a DataTable screen) instead of scrolling as a document. */
  fill?: boolean;
  children: ReactNode;
}

export function Page({ title, subtitle, actions, back, fill = false, children }: PageProps) {
  useEffect(() => {
    document.title = `${title} · Nexus back-office`;
  }, [title]);
  return (
    <section className={fill ? 'page page-fill' : 'page'} aria-labelledby="page-title">
      <header className="page-header">
        <div className="page-heading">
          {back && <div className="page-back">{back}</div>}
          <h1 id="page-title" className="page-title">
            {title}
          </h1>
          {subtitle && <div className="page-subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      <div className="page-body">{children}</div>
    </section>
  );
}
