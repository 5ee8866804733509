// The pieces an installed XMRig version and a binary the user chose share in their list entries: a
// labelled fact, the shortened copyable SHA-256, and a removal that asks once before it acts.
import type { ReactNode } from 'react';
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

interface ConfirmRemoveProps {
  /** The button's label, the same on the confirming button. */
  label: string;
  /** The confirming button's label while the removal runs. */
  workingLabel?: string;
  /** The question asked before removing. */
  question: ReactNode;
  confirming: boolean;
  onConfirming: (confirming: boolean) => void;
  working: boolean;
  onConfirm: () => void;
  /** The first button's test id; the confirming one adds `-confirm`. */
  testId: string;
  /** Set while removing cannot happen: the id of the element saying why (it describes the disabled button). */
  blockerId?: string | undefined;
}

/** The first button, or the question with the confirming button and "Keep". */
export function ConfirmRemove(props: ConfirmRemoveProps) {
  if (props.confirming) {
    return (
      <>
        <span role="alert">{props.question}</span>
        <button
          type="button"
          className="btn btn-danger"
          disabled={props.working}
          onClick={props.onConfirm}
          data-testid={`${props.testId}-confirm`}
        >
          {props.working && props.workingLabel ? props.workingLabel : props.label}
        </button>
        <button type="button" className="btn" onClick={() => props.onConfirming(false)}>
          Keep
        </button>
      </>
    );
  }
  return (
    <button
      type="button"
      className="btn btn-danger"
      disabled={props.blockerId !== undefined}
      aria-describedby={props.blockerId}
      onClick={() => props.onConfirming(true)}
      data-testid={props.testId}
    >
      {props.label}
    </button>
  );
}
