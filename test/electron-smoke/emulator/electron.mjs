// The `electron` module of the main process, emulated from Electron's documented behaviour so the BUILT
// main bundle runs under plain Node in CI (no Electron binary can be downloaded there). Resolved in place
// of the npm package by hooks.mjs; driven by the test through control.mjs.
import * as api from './api.mjs';
import { installCommands } from './commands.mjs';
import { connected, report } from './control.mjs';

// Electron defines this for the main process: `<app folder>/resources` (next to app.asar when packaged).
Object.defineProperty(process, 'resourcesPath', {
  value:
    process.env.HASHDECK_EMU_RESOURCES_PATH ??
    new URL('../../../node_modules/electron/dist/resources', import.meta.url).pathname,
  configurable: true,
});
process.type = 'browser';

if (connected) {
  installCommands();
  // Electron's message loop keeps the process alive until the app quits or exits, windows or not.
  setInterval(() => undefined, 1 << 30);
}
report('emulator-loaded', { pid: process.pid, argv: process.argv });

// `ready` comes once the main script has run (this timer fires after the bundle's synchronous start-up).
// A test can hold it to act "before ready" (a signal, a quit during start-up).
setImmediate(() => {
  if (process.env.HASHDECK_EMU_HOLD_READY === '1') report('holding-ready', {});
  else api.app.emitReady();
});

export * from './api.mjs';
// `import electron from 'electron'` gets a plain object (as Electron's CommonJS export is), not the namespace.
export default { ...api };
