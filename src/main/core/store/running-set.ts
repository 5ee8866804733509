// The miners the user wants running, kept in the data folder on every change (not at quit), so that after
// a quit or a crash of the app the next launch can resume exactly them. Validated on read; a corrupt file
// is moved aside with a notice and nothing is resumed.
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import { z } from 'zod';
import { profileIdSchema } from '../../../shared/contract';
import { minerConfigObject, minerTypeSchema } from '../../../shared/schemas';
import { loadJsonFile, saveJsonFile } from './json-file';

export const RUNNING_SET_FILE = 'running-miners.json';

const entrySchema = z.object({
  name: z.string().min(1).max(64),
  minerType: minerTypeSchema,
  profileId: profileIdSchema.nullable(),
  config: minerConfigObject,
});

const fileSchema = z.object({
  version: z.literal(1),
  /** When the set last changed (wall-clock ms). */
  savedAt: z.number(),
  miners: z.array(entrySchema).max(256),
});

export type RunningEntry = z.infer<typeof entrySchema>;

export class RunningSet {
  readonly path: string;
  /** The set last loaded or written, as JSON; null before either. */
  private last: string | null = null;
  private readonly lock = new Mutex();

  constructor(dataDir: string) {
    this.path = join(dataDir, RUNNING_SET_FILE);
  }

  /** What was running when the app last quit (or crashed), and a notice when the file could not be used. */
  async load(): Promise<{ miners: RunningEntry[]; notice: string | null }> {
    const result = await loadJsonFile(this.path, fileSchema, () => ({
      version: 1 as const,
      savedAt: 0,
      miners: [],
    }));
    this.last = JSON.stringify(result.value.miners);
    return { miners: result.value.miners, notice: result.notice };
  }

  /** Writes the set when it changed; serialised, so the file always holds the newest set. */
  save(miners: readonly RunningEntry[], now: number): Promise<void> {
    return this.lock.runExclusive(async () => {
      const text = JSON.stringify(miners);
      if (text === this.last) return;
      await saveJsonFile(this.path, { version: 1, savedAt: now, miners });
      this.last = text;
    });
  }
}
