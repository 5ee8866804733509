// Whether a miner started from a profile failed for want of a binary and shows the buttons for it on its
// own card or row: the place the start was tried then says the error without a second set of buttons.
import type { MinerSnapshot } from '../../../../shared/model';
import { useBinariesStore } from '../../store/binariesStore';
import { binaryProblemOfMiner } from '../../store/binaryProblem';
import { useInstallsStore } from '../../store/installsStore';
import { useMinersStore } from '../../store/minersStore';

export function useShownOnMiner(profileId: string | null): boolean {
  const binaries = useBinariesStore((s) => s.list);
  const versions = useInstallsStore((s) => s.installed?.versions);
  return useMinersStore((s) => {
    if (!profileId) return false;
    return s.order.some((id) => {
      const m: MinerSnapshot | undefined = s.byId[id];
      return m?.profileId === profileId && binaryProblemOfMiner(m, binaries, versions) !== null;
    });
  });
}
