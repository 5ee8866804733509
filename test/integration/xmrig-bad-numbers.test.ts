// Issue 9 items 4 and 5 end to end with a real fake XMRig: its replies pass through a corrupting proxy
// (the injected AdapterIo), so a malformed /2/backends or an impossible /2/summary reaches the real
// adapter, collector and history. Today's code kept `stats` null for the whole run and charted 1e308 H/s.
import { describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/main/core/miners/io';
import type { AdapterIo } from '../../src/main/core/miners/adapter';
import { harnessPerTest, tickUntil, waitForXmrigApi, xmrigRequest } from './helpers';

const harness = harnessPerTest();

/** Real HTTP to the fake; the body of `path` is rewritten before the adapter sees it. */
function corrupting(path: string, rewrite: (body: string) => string): AdapterIo {
  return {
    ...nodeIo,
    async http(req) {
      const res = await nodeIo.http(req);
      return req.path === path ? { ...res, body: rewrite(res.body) } : res;
    },
  };
}

describe('stats that are partly bad', () => {
  it('a malformed /2/backends reply still gives summary-only samples that say why', async () => {
    const h = await harness({ io: corrupting('/2/backends', (b) => b.slice(0, Math.floor(b.length / 2))) });
    const bin = await h.fakeBinary('xmrig', 'xmrig');
    await h.manager.start(xmrigRequest('bb', bin));
    await waitForXmrigApi(h.manager, 'bb');
    // A tick whose backends request itself failed (slow machine) has no reply to judge: wait for one that
    // got the malformed reply, which must still carry the summary's numbers.
    const snap = await tickUntil(
      h.manager,
      'bb',
      (s) => s.stats?.hashrate[0] != null && (s.stats.warnings?.length ?? 0) > 0,
      'a hashrate with a warning',
      20_000,
    );
    expect(snap.apiError).toBeNull();
    expect(snap.stats!.threads).toEqual([]);
    expect(snap.stats!.warnings?.[0]).toMatch(/^per-thread rates unavailable: XMRig \/2\/backends/);
  });

  it('impossible hashrates and share counts never reach the snapshot or the history', async () => {
    const absurd = (body: string) => {
      const json = JSON.parse(body) as { hashrate: { total: unknown[] }; results: Record<string, unknown> };
      if (json.hashrate.total[0] !== 0) json.hashrate.total = [1e308, 2 ** 64, null];
      json.results.shares_good = 1e15;
      json.results.shares_total = 1e15;
      return JSON.stringify(json);
    };
    const h = await harness({ io: corrupting('/2/summary', absurd) });
    const bin = await h.fakeBinary('xmrig', 'xmrig');
    await h.manager.start(xmrigRequest('abs', bin));
    await waitForXmrigApi(h.manager, 'abs');
    const snap = await tickUntil(
      h.manager,
      'abs',
      (s) => (s.stats?.warnings ?? []).some((w) => w.startsWith('10 s hashrate')),
      'the absurd rate to be flagged',
      20_000,
    );
    expect(snap.stats!.hashrate).toEqual([null, null, null]);
    expect(snap.stats!.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(snap.stats!.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/share counts dropped/)]),
    );
    const history = h.manager.getHistory('abs', 0, Date.now() + 1000);
    expect(history.every((p) => p.value < 1e9)).toBe(true);
  });
});
