/** A few DOM helpers: element building with text always set as text (never parsed as HTML). */
import { thumb } from './format.js';

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attr = string | number | boolean | null | undefined | ((event: Event) => void);

/** `h('p', { class: 'x' }, 'text')`, or without attributes `h('p', 'text')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, Attr> | Child,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs && typeof attrs === 'object' && !(attrs instanceof Node) && !Array.isArray(attrs)) {
    for (const [name, value] of Object.entries(attrs as Record<string, Attr>)) {
      if (typeof value === 'function') el.addEventListener(name.slice(2), value);
      else if (value === true) el.setAttribute(name, '');
      else if (value !== false && value != null) el.setAttribute(name, String(value));
    }
  } else children.unshift(attrs as Child);
  append(el, children);
  return el;
}

function append(el: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (child instanceof Node) el.appendChild(child);
    else if (typeof child === 'object') append(el, child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replace an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null =>
  root.querySelector<T>(selector);

/** The page's JSON config (shell pages): which page, which payment provider. */
export interface ShopConfig {
  page?: string;
  paymentProvider?: 'test' | 'stripe';
  stripePublishableKey?: string;
}

export function shopConfig(): ShopConfig {
  const text = document.getElementById('shop-config')?.textContent;
  try {
    return text ? (JSON.parse(text) as ShopConfig) : {};
  } catch {
    return {};
  }
}

/** The shell's content area. */
export const mount = (): HTMLElement => $('[data-mount]') ?? document.body;

/** A status line while something loads, or a message in its place. */
export const note = (text: string, cls = 'muted'): HTMLParagraphElement => h('p', { class: cls, role: 'status' }, text);

/** A definition-list row of totals. */
export const row = (label: string, value: string, cls = ''): HTMLElement[] => [
  h('dt', { class: cls }, label),
  h('dd', { class: cls }, value),
];

/** Text for screen readers only (e.g. which line a "Remove" button removes). */
export const hidden = (text: string): HTMLElement => h('span', { class: 'visually-hidden' }, ` ${text}`);

/** An empty state: a sentence and where to go from here. */
export const empty = (text: string, href: string, label: string, cls = ''): HTMLElement =>
  h('div', { class: 'empty' }, h('p', text), h('p', h('a', { href, class: cls }, label)));

export const enc = encodeURIComponent;

/** A line's picture (cart, wishlist): decorative, the name beside it says what it is. */
export const picture = (image: { url: string } | null): HTMLElement =>
  image
    ? h('img', { src: thumb(image.url), alt: '', width: 80, height: 80, loading: 'lazy' })
    : h('div', { class: 'no-image', 'aria-hidden': 'true' });

/** A product's name, linked to its page when it still has one. */
export const productLink = (slug: string | null | false, name: string): HTMLElement =>
  slug ? h('a', { href: `/products/${enc(slug)}` }, name) : h('span', name);

/** "Remove" that says (to screen readers) what it removes. */
export const removeButton = (name: string, onclick: () => void): HTMLElement =>
  h('button', { type: 'button', class: 'link', onclick }, 'Remove', hidden(name));

/** Move focus to an element that is not normally focusable (a heading, a message). */
export function focusOn(el: HTMLElement | null): void {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

export const focusHeading = (): void => focusOn($('h1'));

/** A labelled form field: the control gets `id`, the hint (if any) is tied to it. */
export function field(
  id: string,
  label: string,
  control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement,
  hint?: string,
): HTMLDivElement {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}
