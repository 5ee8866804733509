// One installed XMRig version: where it is, its verified SHA-256 (shortened, copyable), tested or not,
// whether its binary is still there (if not: the antivirus advice and "install again"), who uses it,
// and Uninstall (confirmed; disabled with the reason while a profile chose it or a miner runs it).
import type { InstalledVersion, UsageRef } from '../../../../shared/contract';
import { useClient } from '../../client/ClientContext';
import { pagePlatform, quarantineAdvice, RELEASE_STATUS_TEXT } from '../../format/install';
import { formatDateTime } from '../../format/time';
import { useInstallsStore } from '../../store/installsStore';
import { ConfirmRemove, Fact, ShortHash, useRemoval } from './InstalledParts';

const quoted = (refs: readonly UsageRef[]) => refs.map((r) => `“${r.name}”`).join(', ');

/** Why this version cannot be uninstalled now, or null. */
export function uninstallBlocker(v: InstalledVersion): string | null {
  const { runningMiners, pinnedProfiles } = v.usedBy;
  const parts: string[] = [];
  if (runningMiners.length > 0) parts.push(`stop ${quoted(runningMiners)} first`);
  if (pinnedProfiles.length > 0) {
    const one = pinnedProfiles.length === 1;
    parts.push(`choose another binary in ${one ? 'profile' : 'profiles'} ${quoted(pinnedProfiles)}`);
  }
  return parts.length > 0 ? `In use: ${parts.join('; ')}.` : null;
}

function usageText(v: InstalledVersion): string {
  const { runningMiners, pinnedProfiles, followingProfiles } = v.usedBy;
  const parts: string[] = [];
  const some = (refs: readonly UsageRef[], one: string, many: string) => (refs.length === 1 ? one : many);
  if (runningMiners.length > 0) {
    parts.push(
      `${some(runningMiners, 'miner', 'miners')} ${quoted(runningMiners)} ${some(runningMiners, 'runs', 'run')} it now`,
    );
  }
  if (pinnedProfiles.length > 0) {
    parts.push(`${some(pinnedProfiles, 'profile', 'profiles')} ${quoted(pinnedProfiles)} chose it`);
  }
  if (followingProfiles.length > 0) {
    parts.push(
      `${some(followingProfiles, 'profile', 'profiles')} ${quoted(followingProfiles)} ${some(followingProfiles, 'follows', 'follow')} the newest install`,
    );
  }
  if (parts.length === 0) return 'Not used by any profile or miner.';
  const text = parts.join('; ');
  return `${text[0]?.toUpperCase()}${text.slice(1)}.`;
}

interface Props {
  version: InstalledVersion;
  /** An install is running or starting: "install again" waits for it. */
  busy: boolean;
  onInstall: (version: string) => void;
}

export function InstalledVersionItem({ version: v, busy, onInstall }: Props) {
  const client = useClient();
  const blocker = uninstallBlocker(v);
  const key = v.version.replace(/[^A-Za-z0-9]/g, '-');
  const testId = `installed-${v.version}`;
  const blockerId = `installed-blocker-${key}`;

  const removal = useRemoval(async () => {
    useInstallsStore
      .getState()
      .setInstalled(await client.uninstallMiner({ minerType: 'xmrig', version: v.version }));
  });

  return (
    <li className="installed-version" data-testid={testId} data-health={v.health}>
      <div className="installed-head">
        <strong>XMRig {v.version}</strong>
        <span className={`tag tag-${v.status}`} data-testid={`${testId}-status`}>
          {RELEASE_STATUS_TEXT[v.status]}
        </span>
        {v.isDefault && (
          <span className="tag" title="Profiles without a chosen binary run this version">
            default
          </span>
        )}
        {v.health === 'missing' && <span className="tag tag-bad">binary missing</span>}
      </div>
      <dl className="installed-facts">
        <Fact label="Folder">
          <code className="path">{v.folder}</code>
        </Fact>
        <Fact label="SHA-256">
          {v.sha256 ? <ShortHash sha256={v.sha256} testId={testId} /> : 'not recorded'}{' '}
          <span className="muted">
            {v.verified ? '· verified against XMRig’s signed checksums' : '· not installed by HashDeck'}
          </span>
        </Fact>
        {v.installedAt && <Fact label="Installed">{formatDateTime(Date.parse(v.installedAt))}</Fact>}
        <Fact label="Used by" testId={`${testId}-usage`}>
          {usageText(v)}
        </Fact>
      </dl>
      {v.health === 'missing' && (
        <div className="advice" role="alert" data-testid={`${testId}-missing`}>
          <p>
            The XMRig binary is gone from {v.folder}, so it cannot run.{' '}
            {quarantineAdvice(v.folder, v.version, pagePlatform())}
          </p>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => onInstall(v.version)}
            data-testid={`${testId}-reinstall`}
          >
            Install {v.version} again
          </button>
        </div>
      )}
      <div className="actions">
        <ConfirmRemove
          removal={removal}
          label="Uninstall"
          workingLabel="Uninstalling…"
          question={`Uninstall XMRig ${v.version} and delete its folder?`}
          testId={`${testId}-uninstall`}
          blockerId={blocker ? blockerId : undefined}
        />
        {blocker && (
          <span className="muted" id={blockerId} data-testid={`${testId}-blocker`}>
            {blocker}
          </span>
        )}
      </div>
      {removal.error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {removal.error}
        </p>
      )}
    </li>
  );
}
