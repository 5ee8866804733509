// Electron's real ipcMain, handed out as the narrow IpcMainLike: the one place outside the preload that
// imports raw IPC, so the lint ban on `ipcMain` everywhere else holds (the shell passes this on).
import { ipcMain } from 'electron';
import type { IpcMainLike } from './ipc-main';

export const electronIpcMain: IpcMainLike = ipcMain;
