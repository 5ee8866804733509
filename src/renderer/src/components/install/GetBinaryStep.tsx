// The first run's "Get XMRig" step, shown when no trusted binary of the chosen miner exists: install
// XMRig (verified) with its progress, or choose a binary the user trusts (desktop dialog; in a browser,
// the `trust add` command, whose result appears here at once). Reports the binary the profile will use.
import type { TrustedBinary } from '../../../../shared/contract';
import { describeBinary } from '../../forms/binaryOptions';
import { MINER_TYPE_LABELS } from '../../format/minerType';
import { useBinariesStore } from '../../store/binariesStore';
import type { BinaryMinerType } from '../../store/binaryProblem';
import { useInstallsStore } from '../../store/installsStore';
import { useUiStore } from '../../store/uiStore';
import { ChooseBinaryButton } from './ChooseBinaryButton';
import { InstallXmrig } from './InstallXmrig';
import { TrustCommand } from './TrustCommand';

export interface ReadyBinary {
  /** The profile's binaryId: '' follows the newest install (what a verified install gives). */
  binaryId: string;
  /** What the next step says about it. */
  note: string;
}

interface Props {
  minerType: BinaryMinerType;
  onReady: (ready: ReadyBinary) => void;
}

export function GetBinaryStep({ minerType, onReady }: Props) {
  const host = useUiStore((s) => s.host);
  const tested = useInstallsStore((s) => s.installed?.testedVersions.at(-1));
  const all = useBinariesStore((s) => s.list);
  const found = all.find((b) => b.minerType === minerType);
  const label = MINER_TYPE_LABELS[minerType];
  const chosen = (b: TrustedBinary) => onReady({ binaryId: b.id, note: `Using ${describeBinary(b)}.` });
  return (
    <div className="get-binary" data-testid="firstrun-get-binary">
      <p>HashDeck has no {label} it may run yet. It only ever runs a miner it verified or that you chose.</p>
      {minerType === 'xmrig' && (
        <div className="get-binary-install">
          <p className="muted">
            Downloads XMRig {tested ?? ''} (the newest version tested with HashDeck) from XMRig’s official
            releases on GitHub, checks the release’s checksums against XMRig’s signing key and the download
            against them, and runs nothing that fails.
          </p>
          <InstallXmrig
            testId="firstrun-install"
            primary
            onSucceeded={(s) =>
              onReady({ binaryId: '', note: `XMRig ${s.version ?? ''} is installed and verified.` })
            }
          />
        </div>
      )}
      {found && (
        <p className="install-done" role="status" data-testid="firstrun-binary-found">
          Found {describeBinary(found)}.
        </p>
      )}
      {host === 'desktop' ? (
        <div className="get-binary-choose">
          {minerType === 'xmrig' && <span>Or, if you have a binary you trust: </span>}
          <ChooseBinaryButton
            minerType={minerType}
            label="Choose a binary I trust…"
            testId="firstrun-choose"
            onChosen={chosen}
          />
        </div>
      ) : (
        <TrustCommand minerType={minerType} testId="firstrun-trust" />
      )}
    </div>
  );
}
