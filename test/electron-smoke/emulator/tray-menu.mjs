// Tray, Menu and MenuItem: a tray exists only after `ready`, throws once destroyed, and shows the menu
// last given to setContextMenu; a click flips checkbox/radio items locally before calling `click`, as
// Electron does.
import { EventEmitter } from 'node:events';
import { report } from './control.mjs';
import { toImage } from './native-image.mjs';
import { BrowserWindow } from './windows.mjs';
import { ElectronEvent, world } from './world.mjs';

const TYPES = new Set(['normal', 'separator', 'submenu', 'checkbox', 'radio']);

export class MenuItem {
  constructor(options) {
    if (options.label === undefined && options.role === undefined && options.type === undefined) {
      throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
    }
    const type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    if (!TYPES.has(type)) throw new TypeError(`Unknown menu item type: ${type}`);
    this.id = options.id;
    this.label = options.label ?? '';
    this.type = type;
    this.role = options.role;
    this.enabled = options.enabled ?? true;
    this.visible = options.visible ?? true;
    this.checked = options.checked ?? false;
    this.click = options.click;
    this.submenu = options.submenu
      ? options.submenu instanceof Menu
        ? options.submenu
        : Menu.buildFromTemplate(options.submenu)
      : null;
    this.menu = null;
  }
}

export class Menu extends EventEmitter {
  items = [];
  static buildFromTemplate(template) {
    if (!Array.isArray(template))
      throw new TypeError('Invalid template for Menu: Menu template must be an array');
    const menu = new Menu();
    for (const option of template) menu.append(option instanceof MenuItem ? option : new MenuItem(option));
    return menu;
  }
  static setApplicationMenu(menu) {
    world.applicationMenu = menu;
  }
  static getApplicationMenu() {
    return world.applicationMenu ?? null;
  }
  append(item) {
    item.menu = this;
    this.items.push(item);
  }
  getMenuItemById(id) {
    for (const item of this.items) {
      if (item.id === id) return item;
      const inner = item.submenu?.getMenuItemById(id);
      if (inner) return inner;
    }
    return null;
  }
  popup() {}
  closePopup() {}
}

function describeItems(menu) {
  return menu.items.map((item) => ({
    id: item.id ?? null,
    label: item.label,
    type: item.type,
    enabled: item.enabled,
    visible: item.visible,
    checked: item.checked,
    ...(item.submenu ? { submenu: describeItems(item.submenu) } : {}),
  }));
}

/** A user click on a menu item: only a visible, enabled item can be clicked. */
export function clickMenuItem(item) {
  if (!item.visible || !item.enabled)
    throw new Error(`menu item "${item.label}" cannot be clicked (disabled or hidden)`);
  if (item.type === 'checkbox') item.checked = !item.checked;
  if (item.type === 'radio') {
    const siblings = item.menu.items;
    const index = siblings.indexOf(item);
    let start = index;
    while (start > 0 && siblings[start - 1].type === 'radio') start -= 1;
    for (let i = start; i < siblings.length && siblings[i].type === 'radio'; i += 1)
      siblings[i].checked = false;
    item.checked = true;
  }
  item.click?.(
    item,
    BrowserWindow.getFocusedWindow() ?? undefined,
    new ElectronEvent({ triggeredByAccelerator: false }),
  );
}

export class Tray extends EventEmitter {
  #destroyed = false;
  #image;
  #tooltip = '';
  #title = '';
  #menu = null;
  balloons = [];

  constructor(image) {
    super();
    if (!world.ready) throw new Error('Cannot create Tray before app is ready');
    this.#image = toImage(image);
    world.trays.push(this);
    world.counts.traysCreated += 1;
    report('tray-created', { image: this.#imageInfo() });
  }

  #check() {
    if (this.#destroyed) throw new TypeError('Tray is destroyed');
  }
  #imageInfo() {
    return { path: this.#image.path, empty: this.#image.isEmpty(), scales: this.#image.getScaleFactors() };
  }

  get contextMenu() {
    return this.#menu;
  }

  describe() {
    return {
      destroyed: this.#destroyed,
      image: this.#imageInfo(),
      tooltip: this.#tooltip,
      title: this.#title,
      menu: this.#menu ? describeItems(this.#menu) : null,
      balloons: this.balloons,
    };
  }

  setImage(image) {
    this.#check();
    this.#image = toImage(image);
    report('tray-image', this.#imageInfo());
  }
  setPressedImage() {
    this.#check();
  }
  setToolTip(text) {
    this.#check();
    this.#tooltip = text;
  }
  setTitle(title) {
    this.#check();
    this.#title = title;
  }
  getTitle() {
    this.#check();
    return this.#title;
  }
  setContextMenu(menu) {
    this.#check();
    this.#menu = menu;
    report('tray-menu', { items: menu ? describeItems(menu) : null });
  }
  displayBalloon(options) {
    this.#check();
    this.balloons.push({ title: options.title, content: options.content });
  }
  popUpContextMenu() {
    this.#check();
  }
  closeContextMenu() {
    this.#check();
  }
  setIgnoreDoubleClickEvents() {
    this.#check();
  }
  getBounds() {
    this.#check();
    return { x: 0, y: 0, width: 16, height: 16 };
  }
  isDestroyed() {
    return this.#destroyed;
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    report('tray-destroyed', {});
  }
}
