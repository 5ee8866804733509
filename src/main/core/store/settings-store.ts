// App settings persisted as JSON in the data folder, validated on read (corrupt files moved aside),
// merged patch-wise and written atomically under a lock.
import { join } from 'node:path';
import { Mutex } from 'async-mutex';
import { settingsSchema, type Settings } from '../../../shared/contract';
import { loadJsonFile, saveJsonFile } from './json-file';

export class SettingsStore {
  private settings: Settings = settingsSchema.parse({});
  private readonly lock = new Mutex();
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'settings.json');
  }

  async load(): Promise<string | null> {
    const result = await loadJsonFile(this.path, settingsSchema, () => settingsSchema.parse({}));
    this.settings = result.value;
    return result.notice;
  }

  get(): Settings {
    return { ...this.settings };
  }

  update(patch: Partial<Settings>): Promise<Settings> {
    return this.lock.runExclusive(async () => {
      const next = settingsSchema.parse({ ...this.settings, ...patch });
      await saveJsonFile(this.path, next);
      this.settings = next;
      return { ...next };
    });
  }
}
