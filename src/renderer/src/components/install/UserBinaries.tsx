// The binaries the user registered (custom XMRig builds, TT-Miner): path, version, hash, which profiles
// chose them, and "Stop trusting" (which only ever takes a capability away). Adding one is the desktop
// dialog ("Choose binary…") or, in a browser, a command run on the machine.
import type { TrustedBinary } from '../../../../shared/contract';
import { useClient } from '../../client/ClientContext';
import { MINER_TYPE_LABELS } from '../../format/minerType';
import { formatDateTime } from '../../format/time';
import { useBinariesStore } from '../../store/binariesStore';
import { useProfilesStore } from '../../store/profilesStore';
import { useUiStore } from '../../store/uiStore';
import { ChooseBinaryButton } from './ChooseBinaryButton';
import { ConfirmRemove, Fact, ShortHash, useRemoval } from './InstalledParts';

function UserBinary({ binary }: { binary: TrustedBinary }) {
  const client = useClient();
  const profiles = useProfilesStore((s) => s.list);
  const chosenBy = profiles.filter((p) => p.config.binaryId === binary.id).map((p) => `“${p.name}”`);
  const testId = `user-binary-${binary.id}`;

  const removal = useRemoval(async () => {
    await client.removeTrustedBinary({ id: binary.id });
    const list = useBinariesStore.getState().list;
    useBinariesStore.getState().setAll(list.filter((b) => b.id !== binary.id));
  });

  return (
    <li className="installed-version" data-testid={testId}>
      <div className="installed-head">
        <strong>
          {MINER_TYPE_LABELS[binary.minerType]}
          {binary.version ? ` ${binary.version}` : ''}
        </strong>
        <span className="tag">chosen by you</span>
      </div>
      <dl className="installed-facts">
        <Fact label="File">
          <code className="path">{binary.path}</code>
        </Fact>
        <Fact label="SHA-256">
          <ShortHash sha256={binary.sha256} testId={testId} />{' '}
          <span className="muted">· checked before every start</span>
        </Fact>
        <Fact label="Trusted">{formatDateTime(binary.addedAt)}</Fact>
        <Fact label="Used by">
          {chosenBy.length > 0 ? `Chosen by ${chosenBy.join(', ')}.` : 'No profile chose it.'}
        </Fact>
      </dl>
      <div className="actions">
        <ConfirmRemove
          removal={removal}
          label="Stop trusting"
          question={
            <>
              Stop trusting this file?
              {chosenBy.length > 0
                ? ` ${chosenBy.join(', ')} will not start until you choose another binary.`
                : ''}{' '}
              The file itself is not deleted.
            </>
          }
          testId={`${testId}-remove`}
        />
      </div>
      {removal.error && (
        <p className="field-error" role="alert">
          {removal.error}
        </p>
      )}
    </li>
  );
}

export function UserBinaries() {
  const all = useBinariesStore((s) => s.list);
  const host = useUiStore((s) => s.host);
  const mine = all.filter((b) => b.source === 'user');
  return (
    <div data-testid="user-binaries">
      <h3 className="installed-subtitle">Binaries you chose</h3>
      {mine.length === 0 ? (
        <p className="muted">None yet. Use one for TT-Miner or a custom XMRig build.</p>
      ) : (
        <ul className="installed-list">
          {mine.map((b) => (
            <UserBinary key={b.id} binary={b} />
          ))}
        </ul>
      )}
      {host === 'desktop' ? (
        <div className="actions">
          <ChooseBinaryButton
            minerType="xmrig"
            label="Choose an XMRig binary…"
            testId="user-binaries-choose-xmrig"
          />
          <ChooseBinaryButton
            minerType="ttminer"
            label="Choose a TT-Miner binary…"
            testId="user-binaries-choose-ttminer"
          />
        </div>
      ) : (
        <p className="trust-command" data-testid="user-binaries-trust">
          To trust a binary you have, run on this computer:{' '}
          <code>npm run headless -- trust add /path/to/binary</code> (it reads the type from the binary’s
          --version; add <code>--type xmrig</code> or <code>--type ttminer</code> if it cannot tell). It shows
          up here at once.
        </p>
      )}
    </div>
  );
}
