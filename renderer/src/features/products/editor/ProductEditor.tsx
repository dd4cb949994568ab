/**
 * The product form: details, pictures and options on the left; status, organisation and stock on
 * the right; the variants grid across the bottom. Enter (or Ctrl/⌘+S) saves, the fields show what
 * is wrong before anything is sent, and leaving with unsaved edits asks first.
 */
import { type FormEvent, type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { ProductDetail } from '../../../../../shared/contract/backoffice.js';
import { Badge } from '../../../components/Badge.js';
import { Banner } from '../../../components/Banner.js';
import { Button } from '../../../components/Button.js';
import { Dialog } from '../../../components/Dialog.js';
import { Page } from '../../../components/Page.js';
import { Select } from '../../../components/Select.js';
import { TextField } from '../../../components/TextField.js';
import { formatCount } from '../../../lib/format.js';
import type { CategoryEntry } from '../category-tree.js';
import { FALLBACK_CURRENCY } from '../format.js';
import { NotSyncedBadge, StatusBadge, StockBadge } from '../product-columns.js';
import { CategoryPicker } from './CategoryPicker.js';
import { ImagesCard } from './ImagesCard.js';
import { OptionsEditor } from './OptionsEditor.js';
import type { ProductStatus } from './product-form.js';
import { TagInput } from './TagInput.js';
import { useLeaveGuard } from './use-leave-guard.js';
import { useProductForm } from './use-product-form.js';
import { VariantGrid } from './VariantGrid.js';

export interface ProductEditorProps {
  /** Undefined for a new product. */
  product: ProductDetail | undefined;
  categories: readonly CategoryEntry[];
  serverUrl: string | null | undefined;
}

const STATUS_OPTIONS: { value: ProductStatus; label: string }[] = [
  { value: 'active', label: 'Active: on sale in the store' },
  { value: 'draft', label: 'Draft: hidden from shoppers' },
];

export function ProductEditor({ product, categories, serverUrl }: ProductEditorProps) {
  const currency = product?.variants[0]?.currency ?? FALLBACK_CURRENCY;
  const form = useProductForm(product, currency);
  const { draft, errors, change } = form;
  const guard = useLeaveGuard(form.dirty);
  const [, navigate] = useLocation();
  const [archiving, setArchiving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useSaveShortcut(formRef);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.saving) return;
    const id = await form.save();
    if (id && !product) {
      guard.allowNext();
      navigate(`/products/${id}`, { replace: true });
    }
  };
  const statusOptions =
    draft.status === 'archived' || product?.status === 'archived'
      ? [...STATUS_OPTIONS, { value: 'archived' as const, label: 'Archived: retired from the store' }]
      : STATUS_OPTIONS;

  return (
    <Page
      title={product ? product.name : 'New product'}
      back={<Link href="/products">← Products</Link>}
      subtitle={
        <span className="editor-subtitle">
          {product && <StatusBadge status={product.status} />}
          <NotSyncedBadge productId={product?.id} />
          {form.dirty && <Badge tone="warning">Unsaved changes</Badge>}
          {product && <span className="mono muted">/{product.slug}</span>}
        </span>
      }
      actions={
        <>
          {product && product.status !== 'archived' && (
            <Button onClick={() => setArchiving(true)} disabled={form.saving}>
              Archive
            </Button>
          )}
          {form.dirty && (
            <Button variant="ghost" onClick={form.discard} disabled={form.saving}>
              Discard
            </Button>
          )}
          <Button
            type="submit"
            form="product-form"
            variant="primary"
            busy={form.saving}
            disabled={product !== undefined && !form.dirty}
            title="Save (Ctrl+S)"
          >
            {product ? 'Save' : 'Create product'}
          </Button>
        </>
      }
    >
      <div className="editor-body">
        {form.message && <Banner tone="danger">{form.message}</Banner>}
        {form.changedMeanwhile && (
          <Banner tone="info">
            This product was changed elsewhere while you were editing. Your edits are kept; saving sends only the fields
            you changed.
          </Banner>
        )}
        <form id="product-form" ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="editor-grid" disabled={form.saving}>
            <div className="editor-main">
              <EditorCard title="Details">
                <TextField
                  label="Name"
                  required
                  value={draft.name}
                  maxLength={200}
                  autoFocus={!product}
                  onChange={(name) => change((d) => ({ ...d, name }), 'name')}
                  error={errors.name}
                  hint={product ? undefined : 'The web address (slug) is made from the name when the product is saved.'}
                />
                <TextField
                  label="Description"
                  multiline
                  value={draft.description}
                  onChange={(description) => change((d) => ({ ...d, description }), 'description')}
                  error={errors.description}
                />
              </EditorCard>
              <EditorCard title="Pictures">
                <ImagesCard productId={product?.id ?? null} images={product?.images ?? []} serverUrl={serverUrl} />
              </EditorCard>
              <EditorCard title="Options">
                <OptionsEditor draft={draft} errors={errors} change={change} currency={currency} />
              </EditorCard>
            </div>
            <aside className="editor-side">
              <EditorCard title="Status">
                <Select
                  label="Status"
                  value={draft.status}
                  options={statusOptions}
                  onChange={(status) => change((d) => ({ ...d, status }), 'status')}
                  error={errors.status}
                />
              </EditorCard>
              <EditorCard title="Organisation">
                <CategoryPicker
                  categories={categories}
                  selected={draft.categoryIds}
                  onChange={(categoryIds) => change((d) => ({ ...d, categoryIds }), 'categoryIds')}
                  error={errors.categoryIds}
                />
                <TagInput
                  label="Tags"
                  values={draft.tags}
                  maxLength={50}
                  placeholder="Add a tag, press Enter"
                  onChange={(tags) => change((d) => ({ ...d, tags }), 'tags')}
                  error={errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith('tags.'))?.[1]}
                />
              </EditorCard>
              {product && (
                <EditorCard title="Stock">
                  <div className="editor-stock">
                    <span className="editor-stock-figure">{formatCount(product.available)}</span>
                    <span className="muted">available · {formatCount(product.onHand)} on hand</span>
                    <StockBadge state={product.stockState} />
                  </div>
                  <Link href="/inventory">Adjust stock on the inventory screen →</Link>
                </EditorCard>
              )}
            </aside>
            <EditorCard title={`Variants (${draft.variants.length})`} className="editor-wide">
              <VariantGrid draft={draft} errors={errors} change={change} currency={currency} />
            </EditorCard>
          </fieldset>
        </form>
      </div>
      <Dialog
        open={guard.blocked !== null}
        onClose={guard.stay}
        title="Leave without saving?"
        size="sm"
        footer={
          <>
            <Button onClick={guard.stay}>Keep editing</Button>
            <Button variant="danger" onClick={guard.leave}>
              Discard changes
            </Button>
          </>
        }
      >
        <p>Your changes to this product have not been saved. They will be lost if you leave.</p>
      </Dialog>
      <Dialog
        open={archiving}
        onClose={() => setArchiving(false)}
        title="Archive this product?"
        size="sm"
        footer={
          <>
            <Button onClick={() => setArchiving(false)}>Cancel</Button>
            <Button
              variant="danger"
              onClick={() => {
                setArchiving(false);
                void form.archive();
              }}
            >
              Archive product
            </Button>
          </>
        }
      >
        <p>
          <strong>{product?.name}</strong> will be hidden from shoppers. Its orders, stock and history are kept, and you
          can make it active again later.
        </p>
      </Dialog>
    </Page>
  );
}

function EditorCard({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={['editor-card', className].filter(Boolean).join(' ')} aria-label={title}>
      <h2 className="editor-card-title">{title}</h2>
      {children}
    </section>
  );
}

/** Ctrl/⌘+S saves, as in every desktop editor (the browser's "save page" would be useless here). */
function useSaveShortcut(formRef: RefObject<HTMLFormElement | null>) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        formRef.current?.requestSubmit();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [formRef]);
}
