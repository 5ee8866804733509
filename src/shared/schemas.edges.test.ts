// Schema edges found by mutation testing: the lowest pool port, extra arguments of exactly the maximum
// length, the wallet's own message, and issue flattening for a union without a matching branch.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors, firstIssueMessage, minerStartSchema, poolUrlSchema } from './schemas';

const start = (config: Record<string, unknown>) =>
  minerStartSchema.safeParse({
    minerType: 'xmrig',
    config: {
      pool: 'pool.example.com:3333',
      wallet: '4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx',
      ...config,
    },
  });

describe('pool port bounds', () => {
  it('accepts ports 1 and 65535, refuses 0 and 65536', () => {
    expect(poolUrlSchema.safeParse('pool.example.com:1').success).toBe(true);
    expect(poolUrlSchema.safeParse('pool.example.com:65535').success).toBe(true);
    expect(poolUrlSchema.safeParse('pool.example.com:0').success).toBe(false);
    expect(poolUrlSchema.safeParse('pool.example.com:65536').success).toBe(false);
  });
});

describe('extra arguments at the length limit', () => {
  it('still checks arguments of exactly 1000 characters', () => {
    const cliArgs = '--background'.padStart(1000, ' '); // within the limit, only by its spaces
    expect(cliArgs).toHaveLength(1000);
    const result = start({ cliArgs });
    expect(result.success).toBe(false);
    const errors = result.success ? [] : fieldErrors(result.error);
    expect(errors.filter((e) => e.path === 'config.cliArgs')).toEqual([
      { path: 'config.cliArgs', message: expect.stringContaining('--background') },
    ]);
  });
});

describe('wallet messages', () => {
  it('reports the wallet rule that failed, not a generic text', () => {
    const result = start({ wallet: '' });
    expect(result.success ? [] : fieldErrors(result.error)).toContainEqual({
      path: 'config.wallet',
      message: 'Wallet address is required',
    });
  });
});

describe('issue flattening', () => {
  it('reports a union with no matching branch at its own path instead of failing', () => {
    const schema = z.object({
      item: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('a'), n: z.number() }),
        z.object({ kind: z.literal('b'), s: z.string() }),
      ]),
    });
    const result = schema.safeParse({ item: { kind: 'c' } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error)).toEqual([{ path: 'item.kind', message: expect.any(String) }]);
    expect(firstIssueMessage(result.error, 'fallback')).not.toBe('fallback');
  });

  it('falls back to the caller’s text when an error has no issue', () => {
    expect(firstIssueMessage(new z.ZodError([]), 'Invalid miner config')).toBe('Invalid miner config');
  });
});
