// Where the app and tray icons live, found from the bundle's own location (development, `electron
// out/main/index.js`, `electron .`) or from `process.resourcesPath` (packaged), never from app.getAppPath().
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const TRAY_ICON_STATES = ['idle', 'mining', 'paused', 'error'] as const;

/** Every file the shell loads from the resources folder; the @2x variants are picked by Electron itself. */
export const REQUIRED_RESOURCES: readonly string[] = [
  'icon.png',
  ...TRAY_ICON_STATES.flatMap((state) => [`tray-${state}.png`, `tray-${state}@2x.png`]),
];

export interface ResourceLocation {
  isPackaged: boolean;
  /** Electron's `process.resourcesPath`: `<app>/resources` next to app.asar in a packaged build. */
  resourcesPath: string;
  /** Folder of the running main bundle (out/main). */
  bundleDir: string;
}

/**
 * app.getAppPath() is the folder of the script Electron was given (out/main for `electron
 * out/main/index.js`) or app.asar when packaged, so it cannot find the icons. The bundle always sits at
 * out/main, two levels below the project's resources/; packagers copy resources/ next to app.asar
 * (electron-builder `extraResources: ["resources/**"]`, Forge `extraResource: ["resources"]`).
 */
export function resourcesDir(location: ResourceLocation): string {
  return location.isPackaged
    ? join(location.resourcesPath, 'resources')
    : resolve(location.bundleDir, '..', '..', 'resources');
}

/** Names from REQUIRED_RESOURCES that are not in `dir`. */
export function missingResources(dir: string, exists: (path: string) => boolean = existsSync): string[] {
  return REQUIRED_RESOURCES.filter((name) => !exists(join(dir, name)));
}
