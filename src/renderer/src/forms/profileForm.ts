// The profile form's model: string-valued fields as typed, conversion to a ProfileInput, and
// validation with the shared schemas (profileInputSchema, plus minerStartSchema for real miners).
import { profileInputSchema, type Profile, type ProfileInput } from '../../../shared/contract';
import {
  minerStartSchema,
  type MinerConfig,
  type MinerConfigInput,
  type MinerType,
} from '../../../shared/schemas';
import { toErrorMap, zodErrorMap, type ErrorMap } from './fieldErrors';

export interface ProfileFormValues {
  id?: string;
  name: string;
  minerType: MinerType;
  pool: string;
  wallet: string;
  password: string;
  tls: boolean;
  threads: string;
  cpuMaxThreadsHint: string;
  cpuPriority: string;
  hugePages: boolean;
  algo: string;
  coin: string;
  donateLevel: string;
  devices: string;
  intensity: string;
  cliArgs: string;
  /** A trusted binary's id; '' = the default trusted binary of the miner type. */
  binaryId: string;
}

/** Every path the form can show an error for, so others are listed at the form level. */
export const PROFILE_FIELD_PATHS = [
  'name',
  'minerType',
  'config.pool',
  'config.wallet',
  'config.password',
  'config.tls',
  'config.threads',
  'config.cpuMaxThreadsHint',
  'config.cpuPriority',
  'config.hugePages',
  'config.algo',
  'config.coin',
  'config.donateLevel',
  'config.devices',
  'config.intensity',
  'config.cliArgs',
  'config.binaryId',
] as const;

export function emptyProfileValues(minerType: MinerType = 'xmrig'): ProfileFormValues {
  return {
    name: '',
    minerType,
    pool: '',
    wallet: '',
    password: 'x',
    tls: false,
    threads: '0',
    cpuMaxThreadsHint: '100',
    cpuPriority: '',
    hugePages: true,
    algo: '',
    coin: '',
    donateLevel: '1',
    devices: '',
    intensity: '',
    cliArgs: '',
    binaryId: '',
  };
}

const str = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function valuesFromProfile(p: Profile): ProfileFormValues {
  const c = p.config;
  return {
    id: p.id,
    name: p.name,
    minerType: p.minerType,
    pool: c.pool,
    wallet: c.wallet,
    password: c.password,
    tls: c.tls,
    threads: str(c.threads),
    cpuMaxThreadsHint: str(c.cpuMaxThreadsHint),
    cpuPriority: str(c.cpuPriority),
    hugePages: c.hugePages,
    algo: c.algo ?? '',
    coin: c.coin ?? '',
    donateLevel: str(c.donateLevel),
    devices: c.devices ?? '',
    intensity: str(c.intensity),
    cliArgs: c.cliArgs ?? '',
    binaryId: c.binaryId ?? '',
  };
}

export type ConfigField = Exclude<keyof ProfileFormValues, 'id' | 'name' | 'minerType'>;

/**
 * The config fields each miner type uses (what its adapter reads); the form shows only these. Fields of
 * other types keep their saved values, so switching the type back and forth loses nothing.
 */
export const FIELDS_BY_TYPE: Record<MinerType, ReadonlySet<ConfigField>> = {
  xmrig: new Set<ConfigField>([
    'pool',
    'wallet',
    'password',
    'tls',
    'algo',
    'coin',
    'threads',
    'cpuMaxThreadsHint',
    'cpuPriority',
    'hugePages',
    'donateLevel',
    'cliArgs',
    'binaryId',
  ]),
  ttminer: new Set<ConfigField>([
    'pool',
    'wallet',
    'password',
    'algo',
    'devices',
    'intensity',
    'cliArgs',
    'binaryId',
  ]),
  simulated: new Set<ConfigField>(['pool', 'algo', 'threads', 'cpuMaxThreadsHint']),
};

export const shows = (t: MinerType, field: ConfigField): boolean => FIELDS_BY_TYPE[t].has(field);
export const showsGpuFields = (t: MinerType): boolean => shows(t, 'devices');
export const showsBinary = (t: MinerType): boolean => shows(t, 'binaryId');

const NUMBER_FIELDS = [
  ['threads', 'Threads'],
  ['cpuMaxThreadsHint', 'CPU % hint'],
  ['cpuPriority', 'Priority'],
  ['donateLevel', 'Donate level'],
  ['intensity', 'Intensity'],
] as const;

type NumberField = (typeof NUMBER_FIELDS)[number][0];

const parseNumber = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));
const optionalText = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/**
 * The save payload. `base` is the config being edited: fields the form does not show (keepalive,
 * apiPort, GPU fields of a CPU miner) keep their saved values instead of being reset.
 */
export function toProfileInput(v: ProfileFormValues, base?: MinerConfig): ProfileInput {
  const fromForm: MinerConfigInput = {
    pool: v.pool.trim(),
    wallet: v.wallet.trim(),
    password: v.password,
    tls: v.tls,
    threads: parseNumber(v.threads),
    cpuMaxThreadsHint: parseNumber(v.cpuMaxThreadsHint),
    cpuPriority: parseNumber(v.cpuPriority),
    hugePages: v.hugePages,
    algo: optionalText(v.algo),
    coin: optionalText(v.coin),
    donateLevel: parseNumber(v.donateLevel),
    devices: optionalText(v.devices),
    intensity: parseNumber(v.intensity),
    cliArgs: optionalText(v.cliArgs),
    binaryId: optionalText(v.binaryId),
  };
  // Only the fields this type shows come from the form; the rest stay as saved (or default).
  const config: MinerConfigInput = { ...(base ?? {}) };
  const writable = config as Record<string, unknown>;
  for (const field of FIELDS_BY_TYPE[v.minerType]) writable[field] = fromForm[field];
  const input: ProfileInput = { name: v.name, minerType: v.minerType, config };
  if (v.id) input.id = v.id;
  return input;
}

/** Errors by path ('name', 'config.pool', ...); empty when the profile can be saved. */
export function validateProfile(v: ProfileFormValues, base?: MinerConfig): ErrorMap {
  const numberErrors: { path: string; message: string }[] = [];
  for (const [field, label] of NUMBER_FIELDS) {
    if (!shows(v.minerType, field)) continue;
    const raw = v[field as NumberField];
    if (raw.trim() !== '' && !Number.isFinite(Number(raw))) {
      numberErrors.push({ path: `config.${field}`, message: `${label} must be a number` });
    }
  }
  const input = toProfileInput(v, base);
  const errors: Record<string, string> = { ...toErrorMap(numberErrors) };
  const profile = profileInputSchema.safeParse(input);
  if (!profile.success) for (const [k, m] of Object.entries(zodErrorMap(profile.error))) errors[k] ??= m;
  if (v.minerType !== 'simulated') {
    const start = minerStartSchema.safeParse({ minerType: input.minerType, config: input.config });
    if (!start.success) for (const [k, m] of Object.entries(zodErrorMap(start.error))) errors[k] ??= m;
  }
  // A field the form does not show cannot be fixed in it: the server names such problems instead.
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => {
      const field = path.startsWith('config.') ? path.slice('config.'.length) : null;
      return field === null || shows(v.minerType, field as ConfigField);
    }),
  );
}
