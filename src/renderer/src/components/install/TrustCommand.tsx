// The browser's way to trust a binary the user already has: a command run on the machine itself (the
// API can never add one), shown with a button that copies it.
import { trustCommand, type BinaryMinerType } from '../../store/binaryProblem';
import { MINER_TYPE_LABELS } from '../../format/minerType';
import { CopyButton } from './CopyButton';

export function TrustCommand({ minerType, testId }: { minerType: BinaryMinerType; testId: string }) {
  const command = trustCommand(minerType);
  const article = minerType === 'xmrig' ? 'an' : 'a';
  return (
    <div className="trust-command" data-testid={testId}>
      <p>
        To use {article} {MINER_TYPE_LABELS[minerType]} binary you already trust, run this on the computer
        HashDeck runs on:
      </p>
      <div className="command-line">
        <code className="path">{command}</code>
        <CopyButton text={command} label="Copy command" testId={`${testId}-copy`} />
      </div>
    </div>
  );
}
