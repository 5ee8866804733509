// Turns the tray model's items into Electron menu options. Type-only use of electron, so it is tested
// without Electron; clicks report the item id and nothing else.
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayItem } from './menu-model';

export function toMenuTemplate(
  items: TrayItem[],
  onClick: (id: string) => void,
): MenuItemConstructorOptions[] {
  return items.map((item) => {
    if (item.type === 'separator') return { id: item.id, type: 'separator' };
    const option: MenuItemConstructorOptions = {
      id: item.id,
      label: item.label,
      enabled: item.enabled,
      click: () => onClick(item.id),
    };
    if (item.type !== undefined) {
      option.type = item.type;
      option.checked = item.checked ?? false;
    }
    return option;
  });
}
