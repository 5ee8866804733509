// Saving a settings form that sends its fields at the top level of saveSettings: contract validation,
// the request state, the "saved" note, and errors under their fields (any other on the form).
import { useState } from 'react';
import { commandSchemas, type CommandInput } from '../../../shared/contract';
import { useClient } from '../client/ClientContext';
import { useSettingsStore } from '../store/settingsStore';
import { messageOf, serverFieldErrors, unmatchedErrors, zodErrorMap, type ErrorMap } from './fieldErrors';

export interface SettingsForm {
  errors: ErrorMap;
  /** A failure that names none of the form's fields. */
  formError: string | null;
  saving: boolean;
  saved: boolean;
  /**
   * Validates `input` with the contract and saves it. `explain` rewrites the schema's field errors
   * (plain words for an empty number); server errors are shown as the server gave them.
   */
  submit: (input: CommandInput<'saveSettings'>, explain?: (errors: ErrorMap) => ErrorMap) => Promise<void>;
  /** An edit after saving: the note no longer describes what is on screen. */
  touched: () => void;
}

/** `fields`: the error paths the form shows under a field. */
export function useSettingsForm(fields: readonly string[]): SettingsForm {
  const client = useClient();
  const [errors, setErrors] = useState<ErrorMap>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  const submit: SettingsForm['submit'] = async (input, explain = (map) => map) => {
    setSaved(false);
    setFormError(null);
    const parsed = commandSchemas.saveSettings.safeParse(input);
    if (!parsed.success) {
      setErrors(explain(zodErrorMap(parsed.error)));
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      useSettingsStore.getState().set(await client.saveSettings(input));
      setSaved(true);
    } catch (err) {
      const server = serverFieldErrors(err);
      if (server) {
        setErrors(server);
        const other = unmatchedErrors(server, fields);
        if (other.length > 0) setFormError(other.join(' '));
      } else setFormError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  return { errors, formError, saving, saved, submit, touched: () => setSaved(false) };
}
