// The end of every settings and profile form: the error that names no field, Save (busy while saving),
// then the "saved" note or a Cancel. Test ids follow `<testId>-form-error`, `-save` and `-saved`.
import type { ReactNode } from 'react';

interface Props {
  testId: string;
  formError: string | null;
  saving: boolean;
  /** The Save button's label when idle. */
  label: string;
  /** Shown as the status note when set (a successful save); nothing when null or false. */
  savedNote?: ReactNode;
  /** Further buttons after Save (Cancel). */
  children?: ReactNode;
}

export function SaveFooter({ testId, formError, saving, label, savedNote, children }: Props) {
  return (
    <>
      {formError && (
        <p className="field-error" role="alert" data-testid={`${testId}-form-error`}>
          {formError}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid={`${testId}-save`}>
          {saving ? 'Saving…' : label}
        </button>
        {children}
        {savedNote && (
          <span role="status" className="saved-note" data-testid={`${testId}-saved`}>
            {savedNote}
          </span>
        )}
      </div>
    </>
  );
}
