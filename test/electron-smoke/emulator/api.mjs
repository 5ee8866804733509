// Every name the emulated `electron` module offers, gathered in one place so electron.mjs can export
// them both by name and as the default object without listing them twice.
export { app } from './app.mjs';
export { ipcMain } from './ipc-main.mjs';
export { dialog, Notification, powerMonitor, screen, session, shell } from './misc.mjs';
export { nativeImage, NativeImage } from './native-image.mjs';
export { Menu, MenuItem, Tray } from './tray-menu.mjs';
export { BrowserWindow, webContents } from './windows.mjs';
