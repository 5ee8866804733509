// Adapts the preload's `window.mining` for the renderer: command failures become real MinerError
// instances (code + details survive), events pass straight through.
import type { CommandClient, MiningClient } from '../../../shared/contract';
import { toMinerError } from './minerError';
import { COMMAND_NAMES } from '../../../shared/names';

export function wrapPreloadClient(raw: MiningClient): MiningClient {
  const call = raw as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  // One wrapper per command; the cast is where the mapped type meets the runtime list.
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [
      name,
      (input: unknown) =>
        call[name]!(input).catch((err: unknown) => {
          throw toMinerError(err);
        }),
    ]),
  ) as unknown as CommandClient;
  return { ...commands, on: (event, handler) => raw.on(event, handler) };
}
