/**
 * Server-rendered HTML without a template engine: `html` is a tagged template whose
 * interpolations are escaped unless they are already `Html` (built by `html` itself or marked with
 * `raw`). Arrays are joined, and null, undefined and false render nothing, so conditionals and
 * lists read naturally: html`<ul>${items.map((i) => html`<li>${i.name}</li>`)}</ul>`.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup, as is. Only for strings this code built (never for shopper or catalog text). */
export const raw = (markup: string): Html => new Html(markup);

/**
 * JSON inside <script type="application/ld+json"> or a data island: `<` is escaped so that no
 * text in the data (a product name with "</script>") can close the element.
 */
export function jsonScript(value: unknown, attributes = 'type="application/ld+json"'): Html {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return raw(`<script ${attributes}>${json}</script>`);
}
