// The binary choice of a profile (and of the first run): one of the binaries the app trusts (installed and
// verified by the app, or chosen by the user in a native dialog of the desktop app). A browser can only
// choose among them; adding one takes a command on the machine itself, which the hint says. With none
// trusted yet, it offers what fixes that: install XMRig (verified), choose a binary, the trust command.
import { useState } from 'react';
import type { MinerType } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { messageOf } from '../forms/fieldErrors';
import { binaryOptions } from '../forms/binaryOptions';
import { useBinariesStore } from '../store/binariesStore';
import { actionsFor, trustCommand } from '../store/binaryProblem';
import { useInstallsStore } from '../store/installsStore';
import { useUiStore } from '../store/uiStore';
import { SelectField } from './fields';
import { BinaryActions } from './install/BinaryActions';

interface Props {
  minerType: Exclude<MinerType, 'simulated'>;
  value: string;
  error?: string | undefined;
  onChange: (binaryId: string) => void;
  /** Element id of the select; test ids derive from it. */
  id?: string;
  /** Test id prefix of the buttons ("profile" → profile-choose-binary). */
  testPrefix?: string;
}

export function TrustedBinaryField({
  minerType,
  value,
  error,
  onChange,
  id = 'profile-binaryId',
  testPrefix = 'profile',
}: Props) {
  const client = useClient();
  const all = useBinariesStore((s) => s.list);
  const defaultBinaryId = useInstallsStore((s) => s.installed?.defaultBinaryId);
  const desktop = useUiStore((s) => s.host === 'desktop');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const options = binaryOptions(minerType, all, defaultBinaryId, value);
  const none = !all.some((b) => b.minerType === minerType);

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

  const hint = none
    ? undefined
    : desktop
      ? 'Only binaries HashDeck installed and verified, or that you chose here, can run.'
      : `Only trusted binaries can run. To add one, run on this machine: ${trustCommand(minerType)}`;

  return (
    <div className="field-with-action binary-field">
      <SelectField
        id={id}
        label="Binary"
        path="config.binaryId"
        error={error}
        hint={hint}
        value={value}
        options={options}
        onChange={onChange}
      />
      {desktop && !none && (
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => void choose()}
          data-testid={`${testPrefix}-choose-binary`}
        >
          {busy ? 'Choosing…' : 'Choose binary…'}
        </button>
      )}
      {problem && (
        <p className="field-error" role="alert" data-testid={`${testPrefix}-choose-binary-error`}>
          {problem}
        </p>
      )}
      {none && (
        <BinaryActions
          problem={{ minerType, actions: actionsFor(minerType), quarantined: false, pinned: false }}
          testId={`${testPrefix}-binary-actions`}
          primary={false}
        />
      )}
    </div>
  );
}
