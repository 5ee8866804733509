// What a "binary not found" error offers, as buttons for the actions that exist: install XMRig
// (verified), choose a binary (desktop dialog) or the `trust add` command (browser), edit a profile whose
// chosen binary is gone; and, for a binary that vanished, the antivirus advice when not said already.
import { useUiStore } from '../../store/uiStore';
import type { BinaryProblem } from '../../store/binaryProblem';
import { ChooseBinaryButton } from './ChooseBinaryButton';
import { InstallXmrig } from './InstallXmrig';
import { TrustCommand } from './TrustCommand';

interface Props {
  problem: BinaryProblem;
  /** The error text shown next to these actions (it may carry the advice already). */
  message?: string | null;
  testId: string;
  /** Opens the profile's form (on the Profiles page); elsewhere the button goes to that page. */
  onEditProfile?: () => void;
  /** The install is the main action here (not inside a form that has its own). */
  primary?: boolean;
}

export function BinaryActions({ problem, message, testId, onEditProfile, primary = true }: Props) {
  const host = useUiStore((s) => s.host);
  const install = problem.actions.includes('install');
  const choose = problem.actions.includes('choose');
  const desktopChoose = choose && host === 'desktop';
  const advice = problem.quarantined && !/quarantin/i.test(message ?? '');
  return (
    <div className="binary-actions" data-testid={testId}>
      {advice && (
        <p className="advice" data-testid={`${testId}-advice`}>
          Security software often quarantines or blocks crypto miners, even verified ones; HashDeck never
          changes security settings. If you trust the file, restore it from your antivirus’s quarantine and
          add an exclusion for its folder yourself,{' '}
          {install ? 'or install XMRig again' : 'then choose it again'}.
        </p>
      )}
      {(install || desktopChoose || problem.pinned) && (
        <div className="actions binary-action-buttons">
          {install && <InstallXmrig testId={`${testId}-install`} primary={primary} />}
          {desktopChoose && <ChooseBinaryButton minerType={problem.minerType} testId={`${testId}-choose`} />}
          {problem.pinned && (
            <button
              type="button"
              className="btn"
              onClick={onEditProfile ?? (() => useUiStore.getState().setPage('profiles'))}
              data-testid={`${testId}-edit-profile`}
            >
              Choose another binary in the profile
            </button>
          )}
        </div>
      )}
      {choose && host === 'browser' && (
        <TrustCommand minerType={problem.minerType} testId={`${testId}-trust`} />
      )}
    </div>
  );
}
