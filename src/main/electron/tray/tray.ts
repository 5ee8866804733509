// The system tray: builds Electron's Tray and Menu from the pure tray model, maps clicks to tray
// actions and follows the service's events (state changes at once, stats-driven tooltip at most 1/s).
import { join } from 'node:path';
import { Menu, Notification, Tray, nativeImage, type NativeImage } from 'electron';
import type { Profile } from '../../../shared/contract';
import type { DesktopService } from '../types';
import { runTrayAction } from './actions';
import { buildTrayModel, type TrayIcon, type TrayState } from './menu-model';
import { toMenuTemplate } from './template';
import { throttle } from './throttle';

export interface TrayWindowControls {
  isVisible(): boolean;
  show(): void;
  hide(): void;
}

export interface AppTrayOptions {
  service: DesktopService;
  /** Folder holding tray-<state>.png (and the @2x variants Electron picks up by itself). */
  resourcesDir: string;
  window: TrayWindowControls;
  quit: () => void;
  platform?: NodeJS.Platform;
  /** Minimum time between stats-driven tooltip updates. */
  statsIntervalMs?: number;
}

export interface AppTray {
  /** Recomputes the model; the menu is rebuilt only when its items changed (or when forced). */
  refresh(force?: boolean): void;
  /** A desktop notification, or a balloon on Windows when notifications are unavailable. */
  notify(title: string, body: string): void;
  destroy(): void;
}

/**
 * The profile the tray's Start runs: the last one started, else (never started, or deleted since) the most
 * recently saved one, so saved profiles are always startable from the tray; the label names it.
 */
export function profileToStart(profiles: readonly Profile[], lastProfileId: string | null): Profile | null {
  const last = lastProfileId === null ? undefined : profiles.find((p) => p.id === lastProfileId);
  if (last) return last;
  let newest: Profile | null = null;
  for (const p of profiles) if (newest === null || p.updatedAt > newest.updatedAt) newest = p;
  return newest;
}

export function iconPath(resourcesDir: string, icon: TrayIcon): string {
  return join(resourcesDir, `tray-${icon}.png`);
}

export function createAppTray(options: AppTrayOptions): AppTray {
  const { service, window } = options;
  const platform = options.platform ?? process.platform;
  const images = new Map<TrayIcon, NativeImage>();

  function image(icon: TrayIcon): NativeImage {
    let img = images.get(icon);
    if (!img) {
      img = nativeImage.createFromPath(iconPath(options.resourcesDir, icon));
      if (img.isEmpty()) console.warn(`tray icon missing: ${iconPath(options.resourcesDir, icon)}`);
      images.set(icon, img);
    }
    return img;
  }

  function state(): TrayState {
    return {
      miners: service.miners(),
      startProfileName: profileToStart(service.profiles(), service.settings().lastProfileId)?.name ?? null,
      windowVisible: window.isVisible(),
    };
  }

  const tray = new Tray(image('idle'));
  let destroyed = false;
  let shownIcon: TrayIcon = 'idle';
  let shownTooltip: string | null = null;
  let shownItems: string | null = null;

  const actionContext = {
    service,
    miners: () => service.miners(),
    startProfileId: () => profileToStart(service.profiles(), service.settings().lastProfileId)?.id ?? null,
    showWindow: () => window.show(),
    hideWindow: () => window.hide(),
    quit: options.quit,
    report: (title: string, message: string) => notify(title, message),
  };

  function onClick(id: string): void {
    // Electron flips radio items locally on click; rebuilding afterwards shows what really applied.
    void runTrayAction(id, actionContext).finally(() => refresh(true));
  }

  function refresh(force = false): void {
    if (destroyed) return;
    const model = buildTrayModel(state());
    if (model.icon !== shownIcon) {
      tray.setImage(image(model.icon));
      shownIcon = model.icon;
    }
    if (model.tooltip !== shownTooltip) {
      tray.setToolTip(model.tooltip);
      shownTooltip = model.tooltip;
    }
    const items = JSON.stringify(model.items);
    if (force || items !== shownItems) {
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.items, onClick)));
      shownItems = items;
    }
  }

  function notify(title: string, body: string): void {
    if (Notification.isSupported()) {
      new Notification({ title, body, silent: true }).show();
    } else if (platform === 'win32' && !destroyed) {
      tray.displayBalloon({ title, content: body });
    } else {
      console.info(`${title}: ${body}`);
    }
  }

  const statsRefresh = throttle(() => refresh(), options.statsIntervalMs ?? 1000);
  const offs = [
    service.on('minerState', () => refresh()),
    service.on('profiles', () => refresh()),
    service.on('settings', () => refresh()),
    service.on('stats', () => statsRefresh()),
  ];

  // Windows users expect a left click to bring the window back; macOS opens the menu on click instead,
  // and most Linux trays never emit it.
  if (platform === 'win32') tray.on('click', () => window.show());

  refresh(true);

  return {
    refresh,
    notify,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      statsRefresh.cancel();
      for (const off of offs) off();
      tray.destroy();
    },
  };
}
