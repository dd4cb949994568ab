import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

const Menu = { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() };
vi.mock('electron', () => ({ Menu }));

const { installMenu, menuTemplate, SCREENS } = await import('./menu.js');

const actions = () => ({ navigate: vi.fn(), focusSearch: vi.fn(), syncNow: vi.fn(), openDataFolder: vi.fn() });
const context = { platform: 'linux' as NodeJS.Platform, isPackaged: true, appName: 'Nexus Back-office' };

function items(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((entry) => entry.label === label || entry.role === label);
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
}
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as () => void)();

describe('application menu', () => {
  it('opens each screen with Ctrl/Cmd+1…8, in the nav order', () => {
    const a = actions();
    const go = items(menuTemplate(context, a), '&Go');
    expect(go.map((item) => item.accelerator)).toEqual(SCREENS.map((_, i) => `CmdOrCtrl+${i + 1}`));
    expect(go.map((item) => item.label)).toEqual([
      'Dashboard',
      'Products',
      'Inventory',
      'Orders',
      'Reviews',
      'Conflicts',
      'Reports',
      'Settings',
    ]);
    click(go[3]);
    expect(a.navigate).toHaveBeenCalledWith('/orders');
  });

  it('has Sync Now, Find and Settings shortcuts wired to their actions', () => {
    const a = actions();
    const template = menuTemplate(context, a);
    const file = items(template, '&File');
    click(file.find((item) => item.label === 'Sync Now'));
    expect(a.syncNow).toHaveBeenCalledOnce();
    click(file.find((item) => item.label === 'Settings'));
    expect(a.navigate).toHaveBeenCalledWith('/settings');
    click(file.find((item) => item.label === 'Open Data Folder'));
    expect(a.openDataFolder).toHaveBeenCalledOnce();
    const find = items(template, '&Edit').find((item) => item.label === 'Find');
    expect(find?.accelerator).toBe('CmdOrCtrl+F');
    click(find);
    expect(a.focusSearch).toHaveBeenCalledOnce();
    expect(file.some((item) => item.role === 'quit')).toBe(true);
  });

  it('offers developer tools only in a development run', () => {
    const roles = (isPackaged: boolean) =>
      items(menuTemplate({ ...context, isPackaged }, actions()), '&View').map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(false)).toContain('toggleDevTools');
  });

  it('follows macOS conventions: an app menu with About, Settings (Cmd+,) and Quit', () => {
    const template = menuTemplate({ ...context, platform: 'darwin' }, actions());
    const app = items(template, 'Nexus Back-office');
    expect(app.map((item) => item.role ?? item.label)).toEqual(expect.arrayContaining(['about', 'Settings…', 'quit']));
    expect(items(template, '&File').some((item) => item.role === 'quit')).toBe(false);
  });

  it('installMenu builds and sets the template', () => {
    installMenu(context, actions());
    expect(Menu.buildFromTemplate).toHaveBeenCalledOnce();
    expect(Menu.setApplicationMenu).toHaveBeenCalledWith(Menu.buildFromTemplate.mock.results[0]!.value);
  });
});
