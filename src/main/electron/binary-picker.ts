// The desktop half of "trust a miner binary": the renderer only asks, the main process opens a native
// file dialog and returns the file the local user chose, a channel neither the renderer nor the API can fake.
import { dialog, type BrowserWindow, type OpenDialogOptions, type OpenDialogReturnValue } from 'electron';
import { MinerError } from '../../shared/errors';

export interface PickBinaryRequest {
  minerType: 'xmrig' | 'ttminer';
  title: string;
}

/** What createMiningService's `pickBinaryFile` option expects: a path, or null when the user cancelled. */
export type PickBinaryFile = (request: PickBinaryRequest) => Promise<string | null>;

export type ShowOpenDialog = (
  parent: BrowserWindow | null,
  options: OpenDialogOptions,
) => Promise<OpenDialogReturnValue>;

export interface BinaryPickerOptions {
  /** The main window, when there is one to attach the dialog to (modal on it). */
  parent: () => BrowserWindow | null;
  /** Electron's dialog.showOpenDialog; tests pass their own. */
  showOpenDialog?: ShowOpenDialog;
}

const electronDialog: ShowOpenDialog = (parent, options) =>
  parent === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(parent, options);

export function createBinaryPicker(options: BinaryPickerOptions): PickBinaryFile {
  const show = options.showOpenDialog ?? electronDialog;
  let open = false;
  return async ({ title }) => {
    // A page asking twice must not stack dialogs the user has to dismiss one by one.
    if (open)
      throw new MinerError('INVALID_STATE', 'A file dialog is already open; choose a file there first');
    open = true;
    try {
      const parent = options.parent();
      const usable = parent !== null && !parent.isDestroyed() && parent.isVisible() ? parent : null;
      const result = await show(usable, { title, properties: ['openFile'] });
      if (result.canceled) return null;
      return result.filePaths[0] ?? null;
    } finally {
      open = false;
    }
  };
}
