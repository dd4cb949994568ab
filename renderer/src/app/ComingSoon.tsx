import { EmptyState } from '../components/EmptyState.js';
import { Page } from '../components/Page.js';

/** Stands in for a feature screen until its builder plugs the real one into routes.tsx. */
export function ComingSoon({ title, children }: { title: string; children?: string }) {
  return (
    <Page title={title}>
      <EmptyState title="Coming soon">{children ?? `The ${title.toLowerCase()} screen is being built.`}</EmptyState>
    </Page>
  );
}
