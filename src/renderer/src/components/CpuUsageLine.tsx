// The miner's own CPU cost beside its hashrate, as a share of the whole computer (never of one core),
// with the cores that amounts to and its memory; plus what the CPU budget holds it to, when it does.
import { memo } from 'react';
import type { MinerSnapshot } from '../../../shared/model';
import { formatPercent, usageDetails } from '../format/usage';
import { cpuUsageOf } from '../store/minerView';
import { budgetHoldText } from '../store/pauseView';

export const CpuUsageLine = memo(function CpuUsageLine({ miner }: { miner: MinerSnapshot }) {
  const usage = cpuUsageOf(miner);
  const budget = budgetHoldText(miner);
  if (!usage && !budget) return null;
  const id = miner.id;
  return (
    <p className="cpu-usage">
      {usage && (
        <>
          <span data-testid={`miner-cpu-${id}`}>
            CPU <strong className="cpu-figure">{formatPercent(usage.machineCpuPercent)}</strong> of this
            computer
          </span>
          <span className="muted" data-testid={`miner-cpu-details-${id}`}>
            {' '}
            · {usageDetails(usage)}
          </span>
        </>
      )}
      {budget && (
        <span className="cpu-budget-hold" data-testid={`miner-budget-${id}`}>
          {usage ? ' · ' : ''}
          {budget}
        </span>
      )}
    </p>
  );
});
