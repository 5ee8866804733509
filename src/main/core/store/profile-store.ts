// Profiles persisted as one JSON file in the data folder: validated on read, written atomically,
// writes serialized so two quick saves can never interleave into a lost update.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { Mutex } from 'async-mutex';
import { profileInputSchema, type Profile, type ProfileInput } from '../../../shared/contract';
import { minerConfigObject, minerTypeSchema } from '../../../shared/schemas';
import { MinerError } from '../../../shared/errors';
import { loadJsonFile, saveJsonFile } from './json-file';

const storedProfile = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  minerType: minerTypeSchema,
  config: minerConfigObject,
  createdAt: z.number(),
  updatedAt: z.number(),
});
const fileSchema = z.object({ version: z.literal(1), profiles: z.array(storedProfile) });

/**
 * Profiles of earlier versions could name a binary by path. Paths are no longer accepted (they let the
 * API run any program), so the path is dropped on load and the user is told how to trust that binary.
 */
function withoutBinaryPaths(raw: unknown, notices: string[]): unknown {
  // Anything without a profiles array (null and other JSON primitives included) is for the schema to refuse.
  if (!Array.isArray((raw as { profiles?: unknown } | null)?.profiles)) return raw;
  const file = raw as { profiles: unknown[] };
  return {
    ...file,
    profiles: file.profiles.map((p) => {
      const config = (p as { config?: Record<string, unknown> } | null)?.config;
      if (!config || typeof config !== 'object' || !('binaryPath' in config)) return p;
      const { binaryPath, ...rest } = config;
      const name = String((p as { name?: unknown }).name ?? '?');
      notices.push(
        `Profile "${name}" named a binary by path (${String(binaryPath)}). Paths are no longer accepted: ` +
          'choose that file as a trusted binary (desktop: "Choose binary…"; headless: `npm run headless -- trust add PATH`).',
      );
      return { ...(p as object), config: rest };
    }),
  };
}

export class ProfileStore {
  private profiles: Profile[] = [];
  /** Filled by load(): profiles whose old binary path was dropped (shown once to the user). */
  readonly migrationNotices: string[] = [];
  private readonly lock = new Mutex();
  readonly path: string;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, 'profiles.json');
  }

  /** Loads the file; returns a notice when a corrupt file was moved aside. */
  async load(): Promise<string | null> {
    const migrated = z.preprocess((raw) => withoutBinaryPaths(raw, this.migrationNotices), fileSchema);
    const result = await loadJsonFile(this.path, migrated, () => ({ version: 1 as const, profiles: [] }));
    this.profiles = result.value.profiles;
    return result.notice;
  }

  list(): Profile[] {
    return this.profiles.map((p) => ({ ...p }));
  }

  get(id: string): Profile {
    const profile = this.profiles.find((p) => p.id === id);
    if (!profile) throw new MinerError('NOT_FOUND', `No profile with id "${id}"`);
    return { ...profile };
  }

  /** Creates (no id or unknown id) or replaces a profile; input must already be validated. */
  save(input: z.output<typeof profileInputSchema> | ProfileInput): Promise<Profile> {
    const parsed = profileInputSchema.parse(input);
    return this.lock.runExclusive(async () => {
      const at = this.now();
      // Stored ids are never empty, so an input without one matches nothing and creates a profile.
      const existing = this.profiles.find((p) => p.id === parsed.id);
      const profile: Profile = {
        id: parsed.id ?? `p-${randomBytes(6).toString('hex')}`,
        name: parsed.name,
        minerType: parsed.minerType,
        config: parsed.config,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      const next = existing
        ? this.profiles.map((p) => (p.id === profile.id ? profile : p))
        : [...this.profiles, profile];
      await saveJsonFile(this.path, { version: 1, profiles: next });
      this.profiles = next;
      return { ...profile };
    });
  }

  delete(id: string): Promise<void> {
    return this.lock.runExclusive(async () => {
      if (!this.profiles.some((p) => p.id === id))
        throw new MinerError('NOT_FOUND', `No profile with id "${id}"`);
      const next = this.profiles.filter((p) => p.id !== id);
      await saveJsonFile(this.path, { version: 1, profiles: next });
      this.profiles = next;
    });
  }
}
