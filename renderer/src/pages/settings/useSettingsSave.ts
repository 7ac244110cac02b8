import { useState } from 'react';
import type { ChannelInput } from '../../../../contract/channels.js';
import type { Settings } from '../../../../contract/schemas.js';
import type { FieldOf } from '../../forms/formErrors.js';
import { useForm, type Form } from '../../forms/useForm.js';
import { useUpdateSettings } from '../../data/clinic.js';

interface SettingsSave {
  form: Form;
  /** What the section's status line says: what was saved, or nothing. */
  status: string;
  setStatus: (status: string) => void;
  /**
   * Saves part of the settings through the form mechanism: checked, sent, every issue on its
   * field; once saved, the status says `said` and the clinic is read again. The saved settings, or null.
   */
  save: (
    patch: ChannelInput<'settings.update'>,
    said: string | ((saved: Settings) => string),
    fieldOf?: FieldOf,
  ) => Promise<Settings | null>;
}

/** The one way a settings section saves (clinic, depth ranges, photo sets, consent form). */
export function useSettingsSave(onSaved: () => void): SettingsSave {
  const form = useForm();
  const updateSettings = useUpdateSettings();
  const [status, setStatus] = useState('');
  return {
    form,
    status,
    setStatus,
    async save(patch, said, fieldOf) {
      setStatus('');
      const saved = await form.save('settings.update', patch, {
        send: updateSettings,
        ...(fieldOf ? { fieldOf } : {}),
      });
      if (!saved) return null;
      setStatus(typeof said === 'string' ? said : said(saved.value));
      onSaved();
      return saved.value;
    },
  };
}
