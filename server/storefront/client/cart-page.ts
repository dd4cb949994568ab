/** /cart: the lines with editable quantities, the subtotal, warnings and the way to checkout. */
import type { Cart, CartLine } from '../../../shared/api/cart.schemas.js';
import { loadCart, removeLine, setQuantity } from './cart.js';
import { empty, fill, focusHeading, h, hidden, note, picture, productLink, removeButton, row } from './dom.js';
import { failed } from './guard.js';
import { ApiError, invalid, messageOf } from './errors.js';
import { clearErrors, fieldError, focusFirstError } from './forms.js';
import { money, parseQuantity } from './format.js';
import { toast } from './toast.js';

export const lineName = (line: Pick<CartLine, 'name' | 'variantTitle'>): string =>
  line.variantTitle && line.variantTitle !== 'Default' ? `${line.name} (${line.variantTitle})` : line.name;

/** Whatever refused a line's quantity (out of stock, a limit) is said next to that quantity. */
function lineError(form: HTMLFormElement, error: unknown): void {
  clearErrors(form);
  const first = error instanceof ApiError ? error.errors[0] : undefined;
  fieldError(form, 'quantity', first?.message ?? messageOf(error));
  focusFirstError(form);
}

export function cartPage(root: HTMLElement): void {
  // One change at a time: each answers the whole cart, which is then drawn again.
  let queue: Promise<unknown> = Promise.resolve();
  let cart: Cart | undefined;

  const render = (focusVariant?: string) => {
    if (!cart || cart.items.length === 0) {
      fill(root, empty('Your cart is empty.', '/search', 'Continue shopping', 'button primary'));
      return;
    }
    const lineMessages = new Set(cart.items.flatMap((l) => l.warnings.map((w) => w.message)));
    const general = cart.warnings.filter((w) => !lineMessages.has(w.message));
    fill(
      root,
      general.length > 0
        ? h(
            'ul',
            { class: 'warnings' },
            general.map((w) => h('li', w.message)),
          )
        : null,
      h(
        'ul',
        { class: 'lines', 'aria-label': 'Items in your cart' },
        cart.items.map((l) => lineView(l, cart!.currency)),
      ),
      h(
        'div',
        { class: 'summary-box' },
        h('dl', { class: 'totals' }, row('Subtotal', money(cart.subtotalCents, cart.currency), 'total')),
        h('p', { class: 'muted' }, 'Shipping and tax are calculated at checkout.'),
        cart.checkoutReady
          ? h('a', { class: 'button primary block', href: '/checkout' }, 'Checkout')
          : h('p', { class: 'form-error' }, 'Change or remove the items marked above to check out.'),
        h('p', h('a', { href: '/search' }, 'Continue shopping')),
      ),
    );
    if (focusVariant) {
      const input = root.querySelector<HTMLInputElement>(`[data-line="${CSS.escape(focusVariant)}"] input`);
      if (input) input.focus();
      else focusHeading();
    }
  };

  const update = (line: CartLine, form: HTMLFormElement, input: HTMLInputElement) => {
    const quantity = parseQuantity(input.value, 0);
    if (quantity === undefined) return lineError(form, invalid('quantity', 'Enter a whole number from 0 to 99'));
    if (quantity === line.quantity) return;
    queue = queue.then(async () => {
      try {
        cart = await (quantity === 0 ? removeLine(line.variantId) : setQuantity(line.variantId, quantity));
        render(line.variantId);
        toast(quantity === 0 ? `Removed ${lineName(line)}.` : 'Cart updated.');
      } catch (error) {
        input.value = String(line.quantity);
        lineError(form, error);
      }
    });
  };

  const remove = (line: CartLine) => {
    queue = queue.then(async () => {
      try {
        cart = await removeLine(line.variantId);
        render();
        focusHeading();
        toast(`Removed ${lineName(line)}.`);
      } catch (error) {
        toast(messageOf(error));
      }
    });
  };

  function lineView(line: CartLine, currency: string): HTMLElement {
    const id = `qty-${line.variantId}`;
    const input = h('input', {
      id,
      name: 'quantity',
      type: 'number',
      inputmode: 'numeric',
      min: 0,
      max: 99,
      value: line.quantity,
    });
    const form = h(
      'form',
      { class: 'qty', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: id }, 'Quantity', hidden(`of ${lineName(line)}`)), input),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      update(line, form, input);
    });
    input.addEventListener('change', () => update(line, form, input));
    return h(
      'li',
      { class: 'line', 'data-line': line.variantId },
      picture(line.image),
      h(
        'div',
        { class: 'line-info' },
        productLink(line.productSlug, lineName(line)),
        line.unitPriceCents !== null
          ? h('span', { class: 'muted' }, `${money(line.unitPriceCents, currency)} each`)
          : null,
        line.warnings.map((w) => h('span', { class: 'warning' }, w.message)),
      ),
      form,
      h(
        'p',
        { class: 'line-total' },
        line.lineTotalCents !== null && line.available ? money(line.lineTotalCents, currency) : '—',
      ),
      removeButton(lineName(line), () => remove(line)),
    );
  }

  fill(root, note('Loading your cart…', 'loading'));
  loadCart()
    .then((c) => {
      cart = c;
      render();
    })
    .catch((error: unknown) => failed(root, error));
}
