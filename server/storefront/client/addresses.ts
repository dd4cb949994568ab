/** /account/addresses: the address book — list, add, edit, delete, choose the default. */
import type { Address } from '../../../shared/api/accounts.schemas.js';
import { del, get, patch, post } from './api.js';
import { $, enc, fill, focusHeading, h, hidden } from './dom.js';
import { ADDRESS_FIELDS, addressFrom } from './checkout-logic.js';
import { messageOf } from './errors.js';
import { clearErrors, onSubmit } from './forms.js';
import { failed } from './guard.js';
import { addressView } from './order-view.js';
import { toast } from './toast.js';

export async function addressesPage(root: HTMLElement): Promise<void> {
  const list = $('[data-address-list]', root)!;
  const form = $<HTMLFormElement>('form[data-address-form]', root)!;
  const addButton = $<HTMLButtonElement>('[data-add-address]', root)!;
  const heading = $('#address-form-heading', form)!;
  let items: Address[] = [];
  let editing: Address | undefined;

  const open = (address?: Address) => {
    editing = address;
    form.reset();
    clearErrors(form);
    heading.textContent = address ? 'Edit address' : 'Add an address';
    for (const key of ADDRESS_FIELDS) {
      const el = form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement | null;
      if (el && address) el.value = address[key] ?? '';
    }
    (form.elements.namedItem('isDefault') as HTMLInputElement).checked = address?.isDefault ?? items.length === 0;
    form.hidden = false;
    addButton.hidden = true;
    (form.elements.namedItem('name') as HTMLInputElement).focus();
  };
  const close = () => {
    form.hidden = true;
    addButton.hidden = false;
    editing = undefined;
  };

  const render = () => {
    if (items.length === 0) {
      fill(list, h('p', { class: 'muted' }, 'No saved addresses yet. Add one to check out faster.'));
      return;
    }
    fill(
      list,
      h(
        'ul',
        { class: 'address-list', 'aria-label': 'Saved addresses' },
        items.map((a) =>
          h(
            'li',
            { class: 'address-card' },
            a.isDefault ? h('p', { class: 'badge-text' }, 'Default') : null,
            addressView(a),
            h(
              'p',
              { class: 'actions' },
              h('button', { type: 'button', onclick: () => open(a) }, 'Edit', hidden(`${a.name}, ${a.line1}`)),
              h('button', { type: 'button', onclick: () => void remove(a) }, 'Delete', hidden(`${a.name}, ${a.line1}`)),
            ),
          ),
        ),
      ),
    );
  };

  const reload = async () => {
    items = (await get<{ items: Address[] }>('/me/addresses')).items;
    render();
  };

  const remove = async (a: Address) => {
    if (!confirm(`Delete the address for ${a.name}, ${a.line1}?`)) return;
    try {
      await del(`/me/addresses/${enc(a.id)}`);
      await reload();
      toast('Address deleted.');
      focusHeading();
    } catch (error) {
      toast(messageOf(error));
    }
  };

  addButton.addEventListener('click', () => open());
  $('[data-cancel]', form)?.addEventListener('click', () => {
    close();
    addButton.focus();
  });
  onSubmit(form, async (values) => {
    const payload = { ...addressFrom(values), isDefault: values.isDefault === 'on' };
    if (editing) await patch<Address>(`/me/addresses/${enc(editing.id)}`, payload);
    else await post<Address>('/me/addresses', payload);
    const wasEditing = editing !== undefined;
    close();
    await reload();
    toast(wasEditing ? 'Address updated.' : 'Address added.');
    addButton.focus();
  });

  try {
    await reload();
  } catch (error) {
    failed(list, error);
  }
}
