/**
 * #/products/new and #/products/:id: loads the product (re-read when a sync pass changes it), the
 * category tree and the server's address (for picture URLs), then hands them to the editor.
 */
import { type ReactNode, useMemo } from 'react';
import { Link, useParams } from 'wouter';
import { Banner } from '../../components/Banner.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { errorMessage, isApiError } from '../../lib/api.js';
import { useChannel } from '../../lib/use-channel.js';
import { categoryTree } from './category-tree.js';
import { ProductEditor } from './editor/ProductEditor.js';
import './editor/editor.css';
import './products.css';

/** What a product's screen shows comes from these tables (pictures arrive as product_images). */
const PRODUCT_DETAIL_TABLES = ['products', 'variants', 'stock_levels', 'product_images'];

export function ProductDetailScreen() {
  const { id = 'new' } = useParams<{ id: string }>();
  const isNew = id === 'new';
  const product = useChannel('catalog:get', { id }, { tables: PRODUCT_DETAIL_TABLES, enabled: !isNew });
  const settings = useChannel('settings:get', {});
  const categories = useChannel('categories:list', {}, { tables: ['categories'] });
  const tree = useMemo(() => categoryTree(categories.data?.items ?? []), [categories.data]);
  const back = <Link href="/products">← Products</Link>;

  if (!isNew && product.data?.id !== id) {
    if (product.error !== undefined && !product.loading) {
      const missing = isApiError(product.error, 'not_found') || isApiError(product.error, 'validation_failed');
      return (
        <Page title="Product" back={back}>
          {missing ? (
            <EmptyState
              title="This product is not on this device"
              action={<Link href="/products">Back to products</Link>}
            >
              It may have been deleted, or not downloaded yet. If you followed a link, check it and try again.
            </EmptyState>
          ) : (
            <Banner tone="danger">{errorMessage(product.error)}</Banner>
          )}
        </Page>
      );
    }
    return <EditorSkeleton back={back} />;
  }
  return (
    <ProductEditor
      key={id}
      product={isNew ? undefined : product.data}
      categories={tree}
      serverUrl={settings.data?.serverUrl}
    />
  );
}

/** The editor's frame while the product loads: same layout, grey blocks, no jump when it arrives. */
function EditorSkeleton({ back }: { back: ReactNode }) {
  return (
    <Page title="Product" back={back}>
      <div className="editor-grid" aria-busy="true" aria-label="Loading the product">
        <div className="editor-main">
          <div className="editor-card editor-card-skeleton">
            <span className="skeleton" />
            <span className="skeleton" />
            <span className="skeleton" />
          </div>
        </div>
        <aside className="editor-side">
          <div className="editor-card editor-card-skeleton">
            <span className="skeleton" />
          </div>
        </aside>
      </div>
    </Page>
  );
}
