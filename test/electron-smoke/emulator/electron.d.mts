// The emulation stands in for Electron's main-process module, so it carries Electron's own types.
import type * as Electron from 'electron';

export * from 'electron';
declare const electron: typeof Electron;
export default electron;
