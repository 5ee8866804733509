// The end of every settings and profile form: the error that names no field, Save (busy while saving),
// then the "saved" note or a Cancel. Test ids follow `<testId>-form-error`, `-save` and `-saved`.
import type { ReactNode } from 'react';

/** Where a form's save stands (useSettingsForm, useSectionSave, or the form's own state). */
export interface SaveState {
  formError: string | null;
  saving: boolean;
  saved?: boolean;
}

interface Props {
  testId: string;
  state: SaveState;
  /** The Save button's label when idle. */
  label: string;
  /** The status note shown after a successful save. */
  savedNote?: ReactNode;
  /** Further buttons after Save (Cancel). */
  children?: ReactNode;
}

export function SaveFooter({ testId, state, label, savedNote, children }: Props) {
  const { formError, saving, saved = false } = state;
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
        {saved && savedNote && (
          <span role="status" className="saved-note" data-testid={`${testId}-saved`}>
            {savedNote}
          </span>
        )}
      </div>
    </>
  );
}
