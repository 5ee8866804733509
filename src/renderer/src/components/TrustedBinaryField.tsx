// The profile form's binary choice: one of the binaries the app trusts (installed and verified by the
// app, or chosen by the user in a native dialog of the desktop app). A browser can only choose among
// them; adding one takes a command on the machine itself, which the hint says.
import { useState } from 'react';
import type { TrustedBinary } from '../../../shared/contract';
import type { MinerType } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { isDesktop } from '../client/index';
import { messageOf } from '../forms/fieldErrors';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { useBinariesStore } from '../store/binariesStore';
import { SelectField } from './fields';

interface Props {
  minerType: Exclude<MinerType, 'simulated'>;
  value: string;
  error?: string | undefined;
  onChange: (binaryId: string) => void;
}

function describe(b: TrustedBinary): string {
  const version = b.version ? ` ${b.version}` : '';
  const source = b.source === 'installed' ? 'installed, verified' : 'chosen by you';
  return `${MINER_TYPE_LABELS[b.minerType]}${version} · ${b.path} (${source})`;
}

export function TrustedBinaryField({ minerType, value, error, onChange }: Props) {
  const client = useClient();
  const all = useBinariesStore((s) => s.list);
  const binaries = all.filter((b) => b.minerType === minerType);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const label = MINER_TYPE_LABELS[minerType];
  const desktop = isDesktop();

  const options = [
    {
      value: '',
      label:
        binaries.length > 0
          ? 'Default (newest installed, else last chosen)'
          : `No trusted ${label} binary yet`,
    },
    ...binaries.map((b) => ({ value: b.id, label: describe(b) })),
  ];
  // A profile may name a binary that was removed since: keep it selectable so nothing changes silently.
  if (value && !binaries.some((b) => b.id === value))
    options.push({ value, label: `${value} (no longer trusted)` });

  const choose = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const picked = await client.pickBinary({ minerType });
      if (picked) onChange(picked.id);
    } catch (err) {
      setProblem(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const hint = desktop
    ? 'Only binaries HashDeck installed and verified, or that you chose here, can run.'
    : `Only trusted binaries can run. To add one, run on this machine: npm run headless -- trust add /path/to/${minerType === 'xmrig' ? 'xmrig' : 'TT-Miner'}`;

  return (
    <div className="field-with-action">
      <SelectField
        id="profile-binaryId"
        label="Binary"
        path="config.binaryId"
        error={error}
        hint={hint}
        value={value}
        options={options}
        onChange={onChange}
      />
      {desktop && (
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => void choose()}
          data-testid="profile-choose-binary"
        >
          {busy ? 'Choosing…' : 'Choose binary…'}
        </button>
      )}
      {problem && (
        <p className="field-error" role="alert" data-testid="profile-choose-binary-error">
          {problem}
        </p>
      )}
    </div>
  );
}
