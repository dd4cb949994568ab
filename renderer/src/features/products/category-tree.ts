/**
 * The flat category list (categories:list) as a tree in reading order: parents first, children
 * indented under them, siblings by position then name. Used by the list's filter and the editor's picker.
 */
import type { Category } from '../../../../shared/api/catalog.schemas.js';

export interface CategoryEntry {
  id: string;
  name: string;
  depth: number;
  /** "Clothing › T-Shirts": the name with its ancestors, for titles and chips. */
  path: string;
}

export function categoryTree(categories: readonly Category[]): CategoryEntry[] {
  const ids = new Set(categories.map((c) => c.id));
  const children = new Map<string | null, Category[]>();
  for (const category of categories) {
    // A child whose parent is not (yet) on this device is shown at the top rather than lost.
    const parent = category.parentId !== null && ids.has(category.parentId) ? category.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), category]);
  }
  const out: CategoryEntry[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number, prefix: string) => {
    const siblings = [...(children.get(parent) ?? [])].sort(
      (a, b) => a.position - b.position || a.name.localeCompare(b.name),
    );
    for (const category of siblings) {
      // A cycle in bad data must not loop forever.
      if (seen.has(category.id)) continue;
      seen.add(category.id);
      const path = prefix ? `${prefix} › ${category.name}` : category.name;
      out.push({ id: category.id, name: category.name, depth, path });
      walk(category.id, depth + 1, path);
    }
  };
  walk(null, 0, '');
  return out;
}

/** Options for a native <select>: indentation with no-break spaces, which the browser does not collapse. */
export function categoryOptions(entries: readonly CategoryEntry[], allLabel: string) {
  return [
    { value: '', label: allLabel },
    ...entries.map((entry) => ({
      value: entry.id,
      label: `${'\u00a0\u00a0\u00a0\u00a0'.repeat(entry.depth)}${entry.name}`,
    })),
  ];
}
