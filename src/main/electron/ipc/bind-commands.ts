// Binds every contract command to `ipcMain.handle('cmd:<name>')`. Handlers check the sender, let the
// service validate and run the command, and always resolve to a WireResult: Electron keeps only the
// message of an error thrown across IPC, so nothing is ever thrown (Podman Desktop's encodeIpcError).
import {
  COMMAND_NAMES,
  type CommandName,
  type CommandOutput,
  type WireResult,
} from '../../../shared/contract';
import { toErrorPayload } from '../../../shared/errors';
import type { ServiceApi } from '../../service/types';
import { commandChannel } from './channels';
import type { IpcMainLike, IpcSenderEvent } from './ipc-main';

export interface BindCommandsOptions {
  ipcMain: IpcMainLike;
  service: Pick<ServiceApi, 'invoke'>;
  isTrusted: (event: IpcSenderEvent) => boolean;
  /** Told about refused calls, so a hostile or stray frame leaves a trace in the log. */
  onForbidden?: (name: CommandName, url: string | null) => void;
}

export const FORBIDDEN_RESULT = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This page is not allowed to control HashDeck' },
} as const satisfies WireResult<never>;

/** Runs one command and folds any failure into the wire shape. */
export async function runCommand<K extends CommandName>(
  service: Pick<ServiceApi, 'invoke'>,
  name: K,
  payload: unknown,
): Promise<WireResult<CommandOutput<K>>> {
  try {
    return { ok: true, value: await service.invoke(name, payload) };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}

/** Registers one handler per command; the returned function removes them all. */
export function bindCommands(options: BindCommandsOptions): () => void {
  const { ipcMain, service, isTrusted, onForbidden } = options;
  const channels: string[] = [];
  for (const name of COMMAND_NAMES) {
    const channel = commandChannel(name);
    // Only the first argument is the payload; extra arguments are ignored rather than forwarded.
    ipcMain.handle(channel, (event, payload) => {
      if (!isTrusted(event)) {
        onForbidden?.(name, event.senderFrame?.url ?? null);
        return FORBIDDEN_RESULT;
      }
      return runCommand(service, name, payload);
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
