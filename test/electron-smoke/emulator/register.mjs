// `node --import ./register.mjs out/main/index.js`: installs the resolve hook before the bundle loads, so
// its `import { app, ... } from 'electron'` gets the emulation instead of the npm package (a path string).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
