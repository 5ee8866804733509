// History command: hashrate, measured CPU and markers of one miner over a range (default the last 24 h);
// 24 h and shorter at 1-minute resolution, 7 d at 10 minutes, 30 d at 30 minutes, gaps kept.
import type { Handlers, ServiceContext } from './context';

const DAY = 24 * 60 * 60 * 1000;

export function historyCommands(ctx: ServiceContext): Handlers<'getHistory'> {
  return {
    getHistory: async ({ id, from, to }) => {
      const end = to ?? ctx.clock.now();
      const start = from ?? end - DAY;
      return ctx.history.query(id, start, end);
    },
  };
}
