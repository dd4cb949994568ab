/** The product's categories: the tree as a scrollable list of checkboxes, children indented. */
import { useId } from 'react';
import type { CategoryEntry } from '../category-tree.js';

export interface CategoryPickerProps {
  categories: readonly CategoryEntry[];
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  disabled?: boolean;
}

export function CategoryPicker({ categories, selected, onChange, error, disabled }: CategoryPickerProps) {
  const id = useId();
  const chosen = new Set(selected);
  const toggle = (categoryId: string) =>
    onChange(chosen.has(categoryId) ? selected.filter((s) => s !== categoryId) : [...selected, categoryId]);
  return (
    <fieldset
      className={['field', 'category-picker', error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
      disabled={disabled}
    >
      <legend className="field-label">Categories</legend>
      {categories.length === 0 ? (
        <p className="muted">No categories on this device yet.</p>
      ) : (
        <div className="category-list" role="group" aria-describedby={error ? `${id}-error` : undefined}>
          {categories.map((category) => (
            <label
              key={category.id}
              className="category-option"
              style={{ paddingLeft: 8 + category.depth * 18 }}
              title={category.path}
            >
              <input type="checkbox" checked={chosen.has(category.id)} onChange={() => toggle(category.id)} />
              {category.name}
            </label>
          ))}
        </div>
      )}
      {/* The list scrolls: name what is ticked, so a choice below the fold is not missed. */}
      {!error && categories.length > 0 && (
        <div className="field-hint">
          {selected.length === 0
            ? 'In no category yet'
            : `In ${categories
                .filter((c) => chosen.has(c.id))
                .map((c) => c.path)
                .join(', ')}`}
        </div>
      )}
      {error && (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      )}
    </fieldset>
  );
}
