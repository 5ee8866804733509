// Saving one section of the settings on its own (each section sends only its part, whole): the request
// state, the "saved" note, and server field errors keyed by the section's own paths.
import { useState } from 'react';
import type { CommandInput } from '../../../../shared/contract';
import { useClient } from '../../client/ClientContext';
import { messageOf, serverFieldErrors, type ErrorMap } from '../../forms/fieldErrors';
import { useSettingsStore } from '../../store/settingsStore';

export interface SectionSave {
  saving: boolean;
  saved: boolean;
  /** A failure that names no field of this section. */
  formError: string | null;
  /** Field errors from the server, with the section's key taken off ("cpuBudget.machinePercent" -> "machinePercent"). */
  serverErrors: ErrorMap;
  save: (patch: CommandInput<'saveSettings'>) => Promise<boolean>;
  /** An edit after saving: the note no longer describes what is on screen. */
  touched: () => void;
}

export function useSectionSave(section: string): SectionSave {
  const client = useClient();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});

  const save = async (patch: CommandInput<'saveSettings'>): Promise<boolean> => {
    setSaving(true);
    setSaved(false);
    setFormError(null);
    setServerErrors({});
    try {
      useSettingsStore.getState().set(await client.saveSettings(patch));
      setSaved(true);
      return true;
    } catch (err) {
      const fields = serverFieldErrors(err);
      if (fields) {
        const prefix = `${section}.`;
        const mine = Object.fromEntries(
          Object.entries(fields).map(([path, message]) => [
            path.startsWith(prefix) ? path.slice(prefix.length) : path,
            message,
          ]),
        );
        setServerErrors(mine);
      } else setFormError(messageOf(err));
      return false;
    } finally {
      setSaving(false);
    }
  };

  return { saving, saved, formError, serverErrors, save, touched: () => setSaved(false) };
}
