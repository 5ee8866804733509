// The pieces an installed XMRig version and a binary the user chose share in their list entries: a
// labelled fact, the shortened copyable SHA-256, and a removal that asks once before it acts.
import { useState, type ReactNode } from 'react';
import { messageOf } from '../../format/message';
import { CopyButton } from './CopyButton';

export function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

/** The first 12 and last 6 hex digits (the whole hash in the title), and a button that copies it all. */
export function ShortHash({ sha256, testId }: { sha256: string; testId: string }) {
  return (
    <>
      <code data-testid={`${testId}-sha`} title={sha256}>
        {`${sha256.slice(0, 12)}…${sha256.slice(-6)}`}
      </code>{' '}
      <CopyButton text={sha256} label="Copy SHA-256" testId={`${testId}-copy-sha`} />
    </>
  );
}

/** A removal's state: asking, running, and why it failed (a failure closes the question). */
export function useRemoval(remove: () => Promise<void>) {
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setWorking(true);
    setError(null);
    try {
      await remove();
    } catch (err) {
      setError(messageOf(err));
      setConfirming(false);
    } finally {
      setWorking(false);
    }
  };
  return { confirming, setConfirming, working, error, run };
}

interface ConfirmRemoveProps {
  removal: ReturnType<typeof useRemoval>;
  /** The button's label, the same on the confirming button. */
  label: string;
  /** The confirming button's label while the removal runs. */
  workingLabel?: string;
  /** The question asked before removing. */
  question: ReactNode;
  /** The first button's test id; the confirming one adds `-confirm`. */
  testId: string;
  /** Set while removing cannot happen: the id of the element saying why (it describes the disabled button). */
  blockerId?: string | undefined;
}

/** The first button, or the question with the confirming button and "Keep". */
export function ConfirmRemove({
  removal,
  label,
  workingLabel,
  question,
  testId,
  blockerId,
}: ConfirmRemoveProps) {
  if (removal.confirming) {
    return (
      <>
        <span role="alert">{question}</span>
        <button
          type="button"
          className="btn btn-danger"
          disabled={removal.working}
          onClick={() => void removal.run()}
          data-testid={`${testId}-confirm`}
        >
          {removal.working && workingLabel ? workingLabel : label}
        </button>
        <button type="button" className="btn" onClick={() => removal.setConfirming(false)}>
          Keep
        </button>
      </>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-danger"
      disabled={blockerId !== undefined}
      aria-describedby={blockerId}
      onClick={() => removal.setConfirming(true)}
      data-testid={testId}
    >
      {label}
    </button>
  );
}
