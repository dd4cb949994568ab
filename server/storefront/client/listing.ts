/** Listing pages: the sort menu applies on change (without JS a button does). */
export function enhanceListing(root: Document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-autosubmit]')) {
    form.addEventListener('change', () => form.requestSubmit());
  }
}
