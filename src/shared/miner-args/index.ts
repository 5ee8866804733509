// Extra miner arguments, judged per miner type by what the miner's own parser makes of them: the one
// entry point the schemas (every process) and the adapters (what actually runs) both use.
import type { MinerType } from '../schemas';
import { checkTtminerArgs } from './ttminer';
import { checkXmrigArgs } from './xmrig';

export { splitCliArgs } from './text';
export { checkXmrigArgs, XMRIG_ALLOWED, XMRIG_REFUSED, type XmrigArg, type XmrigArgKey } from './xmrig';
export { checkTtminerArgs, TTMINER_ALLOWED } from './ttminer';

/** Accepted arguments in the canonical spelling the miner is given, or every problem found. */
export type MinerArgsCheck = { ok: true; canonical: string[] } | { ok: false; errors: string[] };

export function checkMinerArgs(
  minerType: MinerType,
  cliArgs: string | undefined,
  context: { threads?: number } = {},
): MinerArgsCheck {
  switch (minerType) {
    case 'xmrig': {
      const r = checkXmrigArgs(cliArgs, context);
      return r.ok ? { ok: true, canonical: r.args.map((a) => a.canonical) } : r;
    }
    case 'ttminer': {
      const r = checkTtminerArgs(cliArgs);
      return r.ok ? { ok: true, canonical: r.args } : r;
    }
    case 'simulated':
      return cliArgs === undefined || cliArgs.trim() === ''
        ? { ok: true, canonical: [] }
        : { ok: false, errors: ['The simulated miner takes no extra arguments'] };
  }
}
