// The desktop app's "Choose binary…": the main process opens a native file dialog and trusts the file the
// user picks (recording its hash); nothing happens when the dialog is cancelled.
import { useState } from 'react';
import type { TrustedBinary } from '../../../../shared/contract';
import { useClient } from '../../client/ClientContext';
import { messageOf } from '../../format/message';
import type { BinaryMinerType } from '../../store/binaryProblem';

interface Props {
  minerType: BinaryMinerType;
  testId: string;
  label?: string;
  onChosen?: (binary: TrustedBinary) => void;
}

export function ChooseBinaryButton({ minerType, testId, label = 'Choose binary…', onChosen }: Props) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [chosen, setChosen] = useState<TrustedBinary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async () => {
    setBusy(true);
    setError(null);
    try {
      const picked = await client.pickBinary({ minerType });
      if (picked) {
        setChosen(picked);
        onChosen?.(picked);
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={busy}
        onClick={() => void choose()}
        data-testid={testId}
      >
        {busy ? 'Choosing…' : label}
      </button>
      {chosen && (
        <p className="install-done" role="status" data-testid={`${testId}-done`}>
          Trusted {chosen.path}
          {chosen.version ? ` (version ${chosen.version})` : ''}.
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </>
  );
}
