/** Product page: gallery thumbnails, the variant picker, adding to the cart and the wishlist. */
import { addToCart } from './cart.js';
import { invalid } from './errors.js';
import { onSubmit } from './forms.js';
import { parseQuantity } from './format.js';
import { enhanceReviewForm } from './review.js';
import { toast } from './toast.js';
import { wishlistButton } from './wishlist.js';

interface VariantView {
  id: string;
  title: string;
  optionValues: Record<string, string>;
  price: string;
  compareAt: string | null;
  available: number;
  inStock: boolean;
}

function enhanceGallery(root: Document): void {
  const gallery = root.querySelector<HTMLElement>('[data-gallery]');
  const main = gallery?.querySelector<HTMLImageElement>('.main-image');
  if (!gallery || !main) return;
  for (const button of gallery.querySelectorAll<HTMLButtonElement>('button[data-image]')) {
    button.addEventListener('click', () => {
      main.src = button.dataset.image!;
      if (button.dataset.srcset) main.srcset = button.dataset.srcset;
      main.alt = button.querySelector('img')?.alt || main.alt;
      for (const other of gallery.querySelectorAll('button[data-image]'))
        other.setAttribute('aria-pressed', String(other === button));
    });
  }
}

export function selectedVariant(variants: VariantView[], chosen: Record<string, string>): VariantView | undefined {
  return variants.find((v) => Object.entries(chosen).every(([name, value]) => v.optionValues[name] === value));
}

function enhancePicker(form: HTMLFormElement): void {
  const data = form.querySelector('script[data-variants]');
  if (!data?.textContent) return;
  const variants = JSON.parse(data.textContent) as VariantView[];
  const update = () => {
    const chosen: Record<string, string> = {};
    for (const input of form.querySelectorAll<HTMLInputElement>('input[type=radio]:checked'))
      chosen[input.name.replace(/^option:/, '')] = input.value;
    const variant = selectedVariant(variants, chosen);
    const idInput = form.querySelector<HTMLInputElement>('input[name=variantId]')!;
    const button = form.querySelector<HTMLButtonElement>('[data-add-to-cart]')!;
    const stock = form.querySelector<HTMLElement>('[data-stock]')!;
    const price = form.querySelector<HTMLElement>('[data-price]')!;
    const compare = form.querySelector<HTMLElement>('[data-compare-at]')!;
    idInput.value = variant?.id ?? '';
    price.textContent = variant?.price ?? '';
    compare.textContent = variant?.compareAt ?? '';
    compare.hidden = !variant?.compareAt;
    const buyable = variant?.inStock === true;
    button.disabled = !buyable;
    button.textContent = !variant ? 'Unavailable' : buyable ? 'Add to cart' : 'Out of stock';
    stock.className = `stock ${!buyable ? 'out' : variant.available <= 5 ? 'low' : 'in'}`;
    stock.textContent = !variant
      ? 'This combination is not sold'
      : !buyable
        ? 'Out of stock'
        : variant.available <= 5
          ? `Only ${variant.available} left`
          : 'In stock';
  };
  form.addEventListener('change', (event) => {
    if ((event.target as HTMLInputElement).type === 'radio') update();
  });
}

/** Adds the chosen variant; the server prices it (no price is ever sent). */
function enhanceBuy(form: HTMLFormElement): void {
  onSubmit(form, async (values) => {
    const quantity = parseQuantity(values.quantity ?? '', 1);
    if (quantity === undefined) throw invalid('quantity', 'Enter a whole number from 1 to 99');
    if (!values.variantId) throw invalid('', 'Choose an available option first.');
    const cart = await addToCart(values.variantId, quantity);
    const name = document.querySelector('.product h1')?.textContent?.trim() ?? 'Item';
    toast(`Added ${quantity} × ${name} to your cart (${cart.itemCount} ${cart.itemCount === 1 ? 'item' : 'items'}).`);
  });
}

export function enhanceProduct(root: Document): void {
  enhanceGallery(root);
  const form = root.querySelector<HTMLFormElement>('form[data-buy-form]');
  if (form) {
    enhancePicker(form);
    enhanceBuy(form);
  }
  const wish = root.querySelector<HTMLButtonElement>('button[data-wishlist]');
  if (wish) wishlistButton(wish);
  void enhanceReviewForm(root);
}
