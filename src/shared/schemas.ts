// zod schemas for everything that crosses a trust boundary: miner configs, profiles, settings.
// Types are inferred from them so the validator and the type can never disagree.
import { z } from 'zod';
import { checkMinerArgs } from './miner-args';

export const MINER_TYPES = ['xmrig', 'ttminer', 'simulated'] as const;
export const minerTypeSchema = z.enum(MINER_TYPES);
export type MinerType = z.infer<typeof minerTypeSchema>;

// Control characters belong in no password or path (extra arguments have their own checks in miner-args).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** stratum+tcp://host:port, stratum+ssl://host:port or host:port; host is a name, IPv4 or [IPv6]. */
const POOL_URL =
  /^(?:(?:stratum\+(?:tcp|ssl|tls)|stratum(?:1|2)?\+(?:tcp|ssl)|ssl|tcp):\/\/)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\]):(\d+)$/;

export const poolUrlSchema = z
  .string()
  .trim()
  .min(1, 'Pool URL is required')
  .max(255, 'Pool URL is too long')
  .superRefine((v, ctx) => {
    const m = POOL_URL.exec(v);
    if (!m) {
      ctx.addIssue({
        code: 'custom',
        message: 'Pool URL must look like stratum+tcp://host:port or host:port',
      });
      return;
    }
    const port = Number(m[1]);
    if (port < 1 || port > 65535)
      ctx.addIssue({ code: 'custom', message: `Pool port ${m[1]} is out of range (1–65535)` });
  });

export const walletSchema = z
  .string()
  .trim()
  .min(1, 'Wallet address is required')
  .max(256, 'Wallet address is too long')
  .regex(/^[A-Za-z0-9._+\-@/:=]+$/, 'Wallet may only contain letters, digits and . _ + - @ / : =');

export const passwordSchema = z
  .string()
  .max(256, 'Password is too long')
  .refine((v) => !CONTROL.test(v) && !/\s/.test(v), 'Password must not contain spaces or control characters');

export const algoSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9/_-]{1,32}$/, 'Algorithm is a short name like rx/0 or kawpow');

export const coinSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,16}$/, 'Coin is a short name like monero');

export const portSchema = z
  .number()
  .int('Port must be a whole number')
  .min(1024, 'Port must be at least 1024')
  .max(65535, 'Port must be at most 65535');

export const devicesSchema = z
  .string()
  .trim()
  .regex(/^\d{1,2}(?:,\d{1,2}){0,31}$/, 'Devices is a comma-separated list of GPU indexes, e.g. 0,1');

/** Splits cliArgs on ASCII whitespace; quoting is deliberately unsupported (no shell is involved). */
export { splitCliArgs } from './miner-args';

// Only the length here: what the arguments may say depends on the miner type, so it is checked where the
// type is known (refineCliArgs). A stored profile with arguments refused today still loads, and says why
// when it is edited or started.
export const cliArgsSchema = z.string().max(1000, 'Extra arguments are too long');

/** Adds the per-miner-type argument check to a schema that knows the type; the issue sits on config.cliArgs. */
export function refineCliArgs(
  minerType: MinerType,
  config: { cliArgs?: string | undefined; threads?: number | undefined },
  ctx: z.RefinementCtx,
): void {
  const { cliArgs } = config;
  if (typeof cliArgs !== 'string' || cliArgs.length > 1000) return;
  const check = checkMinerArgs(minerType, cliArgs, { threads: config.threads });
  if (!check.ok) {
    ctx.addIssue({
      code: 'custom',
      path: ['config', 'cliArgs'],
      message: check.errors[0] ?? 'Invalid arguments',
    });
  }
}

/** Id of a trusted binary (see the trust store); never a path: the API cannot name files to run. */
export const binaryIdSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9-]{1,64}$/, 'Choose a binary from the list of trusted binaries');

/** Every field a miner config may carry; fields a miner type does not use are ignored by its adapter. */
export const minerConfigObject = z.object({
  pool: z.string().default(''),
  wallet: z.string().default(''),
  password: passwordSchema.default('x'),
  tls: z.boolean().default(false),
  keepalive: z.boolean().default(true),
  algo: algoSchema.optional(),
  coin: coinSchema.optional(),
  threads: z
    .number()
    .int('Threads must be a whole number')
    .min(0, 'Threads must be 0 (auto) or more')
    .max(1024, 'Threads must be at most 1024')
    .default(0),
  cpuMaxThreadsHint: z
    .number()
    .int('CPU % hint must be a whole number')
    .min(1, 'CPU % hint must be between 1 and 100')
    .max(100, 'CPU % hint must be between 1 and 100')
    .default(100),
  cpuPriority: z
    .number()
    .int('Priority must be a whole number')
    .min(0, 'Priority must be between 0 and 5')
    .max(5, 'Priority must be between 0 and 5')
    .optional(),
  cpuYield: z.boolean().default(true),
  hugePages: z.boolean().default(true),
  donateLevel: z
    .number()
    .int('Donate level must be a whole number')
    .min(1, 'Donate level must be between 1 and 100 (XMRig minimum is 1)')
    .max(100, 'Donate level must be between 1 and 100')
    .default(1),
  devices: devicesSchema.optional(),
  intensity: z
    .number()
    .min(1, 'Intensity must be between 1 and 100')
    .max(100, 'Intensity must be between 1 and 100')
    .optional(),
  cliArgs: cliArgsSchema.optional(),
  /** Which trusted binary runs this miner; absent = the default trusted binary of its type. */
  binaryId: binaryIdSchema.optional(),
  apiPort: portSchema.optional(),
  // Paths were accepted once; a path from the API could run any program, so it is refused by name.
  binaryPath: z
    .never({
      error:
        'binaryPath is no longer accepted: choose a trusted binary (binaryId). Binaries are trusted by installing them from the app, a file dialog in the desktop app, or `npm run headless -- trust add PATH`.',
    })
    .optional(),
  /** This miner's own CPU budget, % of the whole machine (the global budget, if any, still caps the sum). */
  cpuBudgetPercent: z
    .number()
    .int('CPU budget must be a whole number')
    .min(1, 'CPU budget must be between 1 and 100 %')
    .max(100, 'CPU budget must be between 1 and 100 %')
    .optional(),
});

export type MinerConfigInput = z.input<typeof minerConfigObject>;

/** A full start request: which miner, under which name, with which config. */
export const minerStartSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Name is required')
      .max(64, 'Name is at most 64 characters')
      // Any script is fine ("Майнер 矿工"): the name is shown as written; the id is derived safely.
      .refine((v) => !CONTROL.test(v), 'Name must not contain control characters')
      .optional(),
    minerType: minerTypeSchema,
    profileId: z.string().max(64).nullable().optional(),
    config: minerConfigObject.default({} as never),
  })
  .superRefine((v, ctx) => {
    refineCliArgs(v.minerType, v.config, ctx);
    if (v.minerType === 'simulated') return;
    const pool = poolUrlSchema.safeParse(v.config.pool);
    if (!pool.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['config', 'pool'],
        message: pool.error.issues[0]?.message ?? 'Invalid pool',
      });
    }
    const wallet = walletSchema.safeParse(v.config.wallet);
    if (!wallet.success) {
      ctx.addIssue({
        code: 'custom',
        path: ['config', 'wallet'],
        message: wallet.error.issues[0]?.message ?? 'Invalid wallet',
      });
    }
  });

export type MinerStartRequest = z.infer<typeof minerStartSchema>;
export type MinerConfig = z.infer<typeof minerConfigObject>;

export const throttleSchema = z
  .object({
    threads: minerConfigObject.shape.threads.unwrap().optional(),
    cpuMaxThreadsHint: minerConfigObject.shape.cpuMaxThreadsHint.unwrap().optional(),
    cpuPriority: minerConfigObject.shape.cpuPriority,
    /** This miner's CPU budget (% of the machine); 0 removes it. */
    cpuBudgetPercent: z
      .number()
      .int('CPU budget must be a whole number')
      .min(0, 'CPU budget must be between 1 and 100 % (0 removes it)')
      .max(100, 'CPU budget must be between 1 and 100 % (0 removes it)')
      .optional(),
  })
  .refine(
    (v) =>
      v.threads !== undefined ||
      v.cpuMaxThreadsHint !== undefined ||
      v.cpuPriority !== undefined ||
      v.cpuBudgetPercent !== undefined,
    {
      message: 'Give at least one of threads, cpuMaxThreadsHint, cpuPriority, cpuBudgetPercent',
    },
  );
export type ThrottlePatch = z.infer<typeof throttleSchema>;

export interface FieldError {
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * A failed union ("Invalid input") says nothing useful; report the branch the input came closest to
 * (fewest issues), with its paths, so `startMiner` with a bad config names the bad field.
 */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (b.length <= a.length ? b : a));
      return flattenIssues(best, path);
    }
    return [{ ...issue, path }];
  });
}

/** The first issue's message, for the error's headline. */
export function firstIssueMessage(error: z.ZodError, fallback: string): string {
  return flattenIssues(error.issues)[0]?.message ?? fallback;
}

/** Flattens zod issues into `{ path: 'config.pool', message }` entries the UI can show by field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return flattenIssues(error.issues).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
