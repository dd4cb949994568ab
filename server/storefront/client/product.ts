/** Product page: gallery thumbnails and the variant picker. */
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

export function enhanceProduct(root: Document): void {
  enhanceGallery(root);
  const form = root.querySelector<HTMLFormElement>('form[data-buy-form]');
  if (form) enhancePicker(form);
}
