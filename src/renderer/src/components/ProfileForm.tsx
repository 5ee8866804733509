// Create / edit a profile. Errors come from the shared schemas (shown once a field was left or after
// a save attempt) and from the server's INVALID_INPUT details, each under the field it names.
import { useMemo, useState, type FormEvent } from 'react';
import type { Profile } from '../../../shared/contract';
import { MINER_TYPES, type MinerConfig, type MinerType } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { messageOf, serverFieldErrors, unmatchedErrors, type ErrorMap } from '../forms/fieldErrors';
import {
  PROFILE_FIELD_PATHS,
  shows,
  toProfileInput,
  validateProfile,
  type ConfigField,
  type ProfileFormValues,
} from '../forms/profileForm';
import { useProfilesStore } from '../store/profilesStore';
import { CheckboxField, SelectField, TextField } from './fields';
import { SaveFooter } from './SaveFooter';
import { TrustedBinaryField } from './TrustedBinaryField';

type Key = Exclude<keyof ProfileFormValues, 'id'>;

const pathOf = (key: Key): string => (key === 'name' || key === 'minerType' ? key : `config.${key}`);
const idOf = (path: string): string => `profile-${path.replace(/^config\./, '')}`;

const TYPE_OPTIONS = MINER_TYPES.map((t) => ({ value: t, label: MINER_TYPE_LABELS[t] }));
const TYPE_HINTS: Record<MinerType, string> = {
  xmrig: 'CPU miner (RandomX and others)',
  ttminer: 'NVIDIA GPU miner',
  simulated: 'Pretends to mine; for trying HashDeck out',
};
const PRIORITY_OPTIONS = ['', '0', '1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v || 'default' }));

interface Props {
  initial: ProfileFormValues;
  /** The saved config being edited (keeps fields the form does not show). */
  base?: MinerConfig;
  onSaved: (profile: Profile) => void;
  onCancel: () => void;
}

export function ProfileForm({ initial, base, onSaved, onCancel }: Props) {
  const client = useClient();
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<ErrorMap>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const local = useMemo(() => validateProfile(values, base), [values, base]);

  const errorFor = (path: string): string | undefined =>
    ((submitted || touched.has(path)) && local[path]) || serverErrors[path];

  const set = <K extends Key>(key: K, value: ProfileFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    const path = pathOf(key);
    if (path in serverErrors) {
      const { [path]: _fixed, ...rest } = serverErrors;
      setServerErrors(rest);
    }
  };
  const touch = (key: Key) => () => setTouched((t) => (t.has(pathOf(key)) ? t : new Set(t).add(pathOf(key))));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFormError(null);
    const firstInvalid = PROFILE_FIELD_PATHS.find((p) => local[p]);
    if (firstInvalid) {
      document.getElementById(idOf(firstInvalid))?.focus();
      return;
    }
    setSaving(true);
    try {
      const saved = await client.saveProfile(toProfileInput(values, base));
      useProfilesStore.getState().upsert(saved);
      onSaved(saved);
    } catch (err) {
      const fields = serverFieldErrors(err);
      if (fields) {
        setServerErrors(fields);
        const other = unmatchedErrors(fields, PROFILE_FIELD_PATHS);
        if (other.length > 0) setFormError(other.join(' '));
      } else setFormError(messageOf(err));
    } finally {
      setSaving(false);
    }
  };

  // Shared props of a text-like field bound to `key`.
  const text = (key: Key, label: string) => ({
    id: idOf(pathOf(key)),
    label,
    path: pathOf(key),
    error: errorFor(pathOf(key)),
    value: values[key] as string,
    onChange: (v: string) => set(key, v as ProfileFormValues[typeof key]),
    onBlur: touch(key),
  });
  // Shared props of a checkbox bound to `key`.
  const check = (key: 'tls' | 'hugePages', label: string) => ({
    id: idOf(pathOf(key)),
    label,
    path: pathOf(key),
    error: errorFor(pathOf(key)),
    checked: values[key],
    onChange: (v: boolean) => set(key, v),
  });

  const type = values.minerType;
  const has = (field: ConfigField) => shows(type, field);
  const optional = type === 'simulated' ? ' (optional)' : '';
  // TT-Miner only takes these on its command line, where any local user can read them with `ps`.
  const commandLineSecret =
    type === 'ttminer'
      ? 'TT-Miner takes this on its command line: other users of this computer can see it (ps). Use a wallet-only address or a pool login you do not reuse.'
      : undefined;
  return (
    <form
      className="card profile-form"
      data-testid="profile-form"
      data-miner-type={type}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2>{values.id ? `Edit ${initial.name}` : 'New profile'}</h2>
      <div className="form-grid">
        <TextField {...text('name', 'Name')} />
        <SelectField<MinerType>
          id="profile-minerType"
          label="Miner type"
          path="minerType"
          error={errorFor('minerType')}
          value={type}
          options={TYPE_OPTIONS}
          onChange={(v) => set('minerType', v)}
          hint={TYPE_HINTS[type]}
        />
        {has('pool') && (
          <TextField {...text('pool', `Pool${optional}`)} placeholder="stratum+tcp://pool.example.com:3333" />
        )}
        {has('wallet') && <TextField {...text('wallet', 'Wallet')} hint={commandLineSecret} />}
        {has('password') && (
          <TextField {...text('password', 'Password')} autoComplete="off" hint={commandLineSecret} />
        )}
        {has('tls') && <CheckboxField {...check('tls', 'TLS')} />}
        {has('algo') && <TextField {...text('algo', `Algorithm${optional}`)} placeholder="rx/0" />}
        {has('coin') && <TextField {...text('coin', 'Coin')} placeholder="monero" />}
        {has('threads') && (
          <TextField {...text('threads', 'Threads')} type="number" min={0} max={1024} hint="0 = auto" />
        )}
        {has('cpuMaxThreadsHint') && (
          <TextField
            {...text('cpuMaxThreadsHint', 'CPU % hint')}
            type="number"
            min={1}
            max={100}
            hint="Share of processor threads used when threads are auto"
          />
        )}
        {has('cpuPriority') && (
          <SelectField
            id="profile-cpuPriority"
            label="Priority"
            path="config.cpuPriority"
            error={errorFor('config.cpuPriority')}
            value={values.cpuPriority}
            options={PRIORITY_OPTIONS}
            onChange={(v) => set('cpuPriority', v)}
          />
        )}
        {has('hugePages') && <CheckboxField {...check('hugePages', 'Huge pages')} />}
        {has('donateLevel') && (
          <TextField {...text('donateLevel', 'Donate level (%)')} type="number" min={1} max={100} />
        )}
        {has('devices') && <TextField {...text('devices', 'Devices')} placeholder="0,1" />}
        {has('intensity') && (
          <TextField {...text('intensity', 'Intensity')} type="number" min={1} max={100} />
        )}
        {has('cliArgs') && <TextField {...text('cliArgs', 'Extra CLI arguments')} />}
        {has('binaryId') && type !== 'simulated' && (
          <TrustedBinaryField
            minerType={type}
            value={values.binaryId}
            error={errorFor('config.binaryId')}
            onChange={(v) => set('binaryId', v)}
          />
        )}
      </div>
      <SaveFooter testId="profile" state={{ formError, saving }} label="Save profile">
        <button type="button" className="btn" onClick={onCancel} data-testid="profile-cancel">
          Cancel
        </button>
      </SaveFooter>
    </form>
  );
}
