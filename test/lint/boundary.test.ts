// The lint boundary can fail: ESLint's Node API runs the project's own config on snippets placed (by
// file name) in each layer, and every way around the raw-IPC ban and the layer rules must be reported,
// while the legitimate forms stay clean.
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids reported for `code` as if it were the file `file`; a parse error fails the test. */
async function rulesFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, file) });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages.map((m) => m.ruleId ?? '(none)');
}

const SHELL = 'src/main/electron/tray/lint-fixture.ts';
const IPC = 'src/main/electron/ipc/lint-fixture.ts';

describe('raw IPC is reported however it is spelled (outside the typed wrappers)', () => {
  const evasions: [string, string, string][] = [
    [
      'ipcMain renamed at import',
      "import { ipcMain as bus } from 'electron';\nbus.handle('x', () => 1);\n",
      'no-restricted-imports',
    ],
    [
      'a namespace import',
      "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);\n",
      'no-restricted-imports',
    ],
    [
      'a default import',
      "import electron from 'electron';\nelectron.ipcMain.on('x', () => undefined);\n",
      'no-restricted-syntax',
    ],
    [
      'destructured and renamed',
      "import electron from 'electron';\nconst { ipcMain: bus } = electron;\nbus.handle('x', () => 1);\n",
      'no-restricted-syntax',
    ],
    ['require()', "const { app } = require('electron');\napp.quit();\n", 'no-restricted-syntax'],
    [
      'a dynamic import',
      "export async function f() {\n  const e = await import('electron');\n  return e;\n}\n",
      'no-restricted-syntax',
    ],
    [
      'the webContents module at import',
      "import { webContents } from 'electron';\nwebContents.getAllWebContents();\n",
      'no-restricted-imports',
    ],
  ];
  it.each(evasions)('%s', async (_name, code, rule) => {
    expect(await rulesFor(SHELL, code)).toContain(rule);
  });
});

describe('pushing to a webContents or frame is reported however it was reached', () => {
  const RAW = 'hashdeck/no-raw-webcontents-send';
  const sends: [string, string][] = [
    [
      'a bare webContents.send()',
      "declare const webContents: { send(c: string): void };\nwebContents.send('evt:x');\n",
    ],
    [
      'win.webContents.send()',
      "import { BrowserWindow } from 'electron';\nconst win = new BrowserWindow();\nwin.webContents.send('evt:x', 1);\n",
    ],
    [
      'an alias of win.webContents',
      "import { BrowserWindow } from 'electron';\nconst win = new BrowserWindow();\nconst bus = win.webContents;\nbus.send('evt:x');\n",
    ],
    [
      'a destructured, renamed webContents',
      "import { BrowserWindow } from 'electron';\nconst win = new BrowserWindow();\nconst { webContents: bus } = win;\nbus.send('evt:x');\n",
    ],
    [
      'a parameter typed WebContents',
      "import type { WebContents } from 'electron';\nexport function push(target: WebContents): void {\n  target.send('evt:x');\n}\n",
    ],
    [
      'the IPC event sender',
      "export function reply(event: { sender: { send(c: string): void } }): void {\n  event.sender.send('evt:x');\n}\n",
    ],
    [
      'a main frame',
      "import { BrowserWindow } from 'electron';\nconst win = new BrowserWindow();\nwin.webContents.mainFrame.postMessage('evt:x', 1);\n",
    ],
    [
      'a contents found by id, optionally chained',
      "declare const registry: { fromId(id: number): { send(c: string): void } | undefined };\nregistry.fromId(1)?.send('evt:x');\n",
    ],
    [
      'sendToFrame',
      "declare const contents: { sendToFrame(f: number, c: string): void };\ncontents.sendToFrame(1, 'x');\n",
    ],
  ];
  it.each(sends)('%s', async (_name, code) => {
    expect(await rulesFor(SHELL, code)).toContain(RAW);
  });

  it('leaves other .send() calls alone (the typed sender, SSE clients, child processes)', async () => {
    const code =
      "declare const events: { send(e: string, p: unknown): void };\ndeclare const client: { send(e: string): void };\nevents.send('notice', {});\nclient.send('x');\nprocess.send?.('x');\n";
    expect(await rulesFor(SHELL, code)).toEqual([]);
  });

  it('allows raw IPC inside src/main/electron/ipc', async () => {
    const code =
      "import { ipcMain } from 'electron';\nimport type { WebContents } from 'electron';\nipcMain.handle('x', () => 1);\nexport function push(contents: WebContents): void {\n  contents.send('evt:x');\n}\n";
    expect(await rulesFor(IPC, code)).toEqual([]);
  });
});

describe('layers import only what they are allowed', () => {
  const LAYERS = 'hashdeck/layers';
  const violations: [string, string, string][] = [
    [
      'the shell importing core internals',
      SHELL,
      "import { createManager } from '../../core/create-manager';\ncreateManager;\n",
    ],
    ['the shell importing core through an index', SHELL, "import * as core from '../../core';\ncore;\n"],
    [
      'the shell importing the headless server',
      SHELL,
      "import * as server from '../../headless/server';\nserver;\n",
    ],
    [
      'the shell importing the renderer',
      'src/main/electron/x.ts',
      "import * as ui from '../../renderer/src/App';\nui;\n",
    ],
    ['the shell reaching core by import()', SHELL, "export const m = () => import('../../core/manager');\n"],
    [
      'a type-only import of core into the shell',
      SHELL,
      "import type { MinerManager } from '../../core/manager';\nexport type M = MinerManager;\n",
    ],
    ['the preload importing core', 'src/preload/x.ts', "import * as m from '../main/core/manager';\nm;\n"],
    ['the preload importing an npm package', 'src/preload/x.ts', "import { z } from 'zod';\nz;\n"],
    [
      'the preload importing node built-ins',
      'src/preload/x.ts',
      "import { readFileSync } from 'node:fs';\nreadFileSync;\n",
    ],
    ['core importing the preload', 'src/main/core/x.ts', "import * as p from '../../preload/api';\np;\n"],
    ['core importing electron', 'src/main/core/x.ts', "import { app } from 'electron';\napp;\n"],
    [
      'the service importing the shell',
      'src/main/service/x.ts',
      "import * as s from '../electron/tray/tray';\ns;\n",
    ],
    ['shared importing node built-ins', 'src/shared/x.ts', "import { join } from 'node:path';\njoin;\n"],
    [
      'the renderer importing main',
      'src/renderer/src/x.ts',
      "import * as s from '../../main/service/types';\ns;\n",
    ],
  ];
  it.each(violations)('%s', async (_name, file, code) => {
    expect(await rulesFor(file, code)).toContain(LAYERS);
  });

  it('lets the shell import the service, shared and its own modules', async () => {
    const code =
      "import { createMiningService } from '../../service/mining-service';\nimport type { Profile } from '../../../shared/contract';\nimport { buildTrayModel } from './menu-model';\nexport type P = Profile;\nexport const used = [createMiningService, buildTrayModel];\n";
    expect(await rulesFor(SHELL, code)).toEqual([]);
  });
});
