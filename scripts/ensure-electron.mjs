// Run by `npm start` and `npm run dev` before electron-vite: makes sure the Electron binary exists,
// fetching it with electron's own installer when missing, and explains the way out when it cannot.
import {
  electronBinaryPath,
  electronPackageDir,
  ensureElectron,
  runElectronInstaller,
} from './ensure-electron-lib.mjs';

const packageDir = electronPackageDir();
process.exitCode = await ensureElectron({
  exists: () => electronBinaryPath(packageDir) !== null,
  runInstaller: () => runElectronInstaller(packageDir),
});
