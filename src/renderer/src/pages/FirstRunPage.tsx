// First run (no profiles, no miners): a short guided path (miner → get it, when no trusted binary exists
// → pool and wallet → how much CPU → saved), or the simulated demo, or skip. Fields are checked with the
// shared start schema; errors clear as they are fixed and focus moves to the first invalid field.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { MinerConfigInput } from '../../../shared/schemas';
import { minerStartSchema } from '../../../shared/schemas';
import { useClient } from '../client/ClientContext';
import { TextField } from '../components/fields';
import { BinaryActions } from '../components/install/BinaryActions';
import { GetBinaryStep, type ReadyBinary } from '../components/install/GetBinaryStep';
import { TrustedBinaryField } from '../components/TrustedBinaryField';
import { cpuChoice, CPU_CHOICES, DEFAULT_CPU_CHOICE, type CpuChoiceId } from '../forms/cpuChoices';
import { messageOf, serverFieldErrors, zodErrorMap, type ErrorMap } from '../forms/fieldErrors';
import { MINER_TYPE_LABELS } from '../format/minerType';
import { useBinariesStore } from '../store/binariesStore';
import { binaryMessage, binaryProblemOfError, type BinaryProblem } from '../store/binaryProblem';
import { useMinersStore } from '../store/minersStore';
import { useProfilesStore } from '../store/profilesStore';
import { useUiStore } from '../store/uiStore';

type RealMiner = 'xmrig' | 'ttminer';
type Step = 'miner' | 'binary' | 'pool' | 'cpu';
const PREFIX = 'firstrun-';
const POOL_FIELDS = ['config.pool', 'config.wallet'] as const;
const FIELD_IDS: Record<(typeof POOL_FIELDS)[number], string> = {
  'config.pool': 'firstrun-pool',
  'config.wallet': 'firstrun-wallet',
};

const MINERS: readonly { value: RealMiner; title: string; text: string }[] = [
  {
    value: 'xmrig',
    title: `${MINER_TYPE_LABELS.xmrig} (processor)`,
    text: 'Mines Monero and other RandomX coins on this computer’s processor.',
  },
  {
    value: 'ttminer',
    title: `${MINER_TYPE_LABELS.ttminer} (NVIDIA graphics card)`,
    text: 'Mines on NVIDIA graphics cards.',
  },
];

/** The steps for a miner type; `getBinary`: none of that type is trusted yet, so one step gets it. */
const stepsOf = (type: RealMiner, getBinary: boolean): Step[] => [
  'miner',
  ...(getBinary ? (['binary'] as const) : []),
  'pool',
  ...(type === 'xmrig' ? (['cpu'] as const) : []),
];

/** Errors of the pool step only (the other config fields keep their defaults here). */
function poolErrors(minerType: RealMiner, pool: string, wallet: string): ErrorMap {
  const parsed = minerStartSchema.safeParse({
    minerType,
    config: { pool: pool.trim(), wallet: wallet.trim() },
  });
  if (parsed.success) return {};
  const all = zodErrorMap(parsed.error);
  return Object.fromEntries(POOL_FIELDS.filter((p) => all[p]).map((p) => [p, all[p] as string]));
}

function Choice(props: {
  name: string;
  value: string;
  checked: boolean;
  onSelect: () => void;
  title: string;
  children: ReactNode;
}) {
  const id = `${props.name}-${props.value}`;
  return (
    <label className={`choice${props.checked ? ' choice-selected' : ''}`} htmlFor={id}>
      <input
        id={id}
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.checked}
        onChange={props.onSelect}
        data-testid={`${PREFIX}${props.name}-${props.value}`}
      />
      <span>
        <strong>{props.title}</strong>
        <span className="choice-text">{props.children}</span>
      </span>
    </label>
  );
}

interface Saved {
  profileId: string;
  name: string;
  minerType: RealMiner;
}

function SavedPanel({ saved }: { saved: Saved }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [binaryProblem, setBinaryProblem] = useState<BinaryProblem | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const finish = (page: 'dashboard' | 'profiles') => {
    useUiStore.getState().setPage(page);
    useUiStore.getState().setFirstRun(false);
  };
  const start = async () => {
    setBusy(true);
    setError(null);
    setBinaryProblem(null);
    try {
      useMinersStore.getState().upsert(await client.startMiner({ profileId: saved.profileId }));
      finish('dashboard');
    } catch (err) {
      setError(messageOf(err));
      setBinaryProblem(binaryProblemOfError(err, saved.minerType));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card wizard" aria-labelledby="firstrun-saved-title" data-testid="firstrun-saved">
      <h2 id="firstrun-saved-title" tabIndex={-1} ref={title}>
        Saved “{saved.name}”
      </h2>
      <p role="status">Your profile is saved. You can change it any time on the Profiles page.</p>
      {error && (
        <p className="field-error" role="alert" data-testid="firstrun-start-error">
          Could not start: {binaryMessage(error, binaryProblem)}
        </p>
      )}
      {error && binaryProblem && (
        <BinaryActions problem={binaryProblem} message={error} testId="firstrun-start-binary" />
      )}
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void start()}
          data-testid="firstrun-start"
        >
          {busy ? 'Starting…' : 'Start mining now'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => finish('dashboard')}
          data-testid="firstrun-later"
        >
          Not now
        </button>
        {error && (
          <button type="button" className="btn" onClick={() => finish('profiles')}>
            Edit the profile
          </button>
        )}
      </div>
    </section>
  );
}

function SetupWizard({ onCancel }: { onCancel: () => void }) {
  const client = useClient();
  const [minerType, setMinerType] = useState<RealMiner>('xmrig');
  const [step, setStep] = useState<Step>('miner');
  const [pool, setPool] = useState('');
  const [wallet, setWallet] = useState('');
  const [cpu, setCpu] = useState<CpuChoiceId>(DEFAULT_CPU_CHOICE);
  const [errors, setErrors] = useState<ErrorMap>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Saved | null>(null);
  // Decided when the miner step is left, so the step count stays put while a binary arrives.
  const [getBinary, setGetBinary] = useState(false);
  const [binary, setBinary] = useState<ReadyBinary>({ binaryId: '', note: '' });
  const trusted = useBinariesStore((s) => s.list.filter((b) => b.minerType === minerType).length);
  const heading = useRef<HTMLHeadingElement>(null);

  if (saved) return <SavedPanel saved={saved} />;

  const steps = stepsOf(minerType, step === 'miner' ? trusted === 0 : getBinary);
  // Without a binary the profile can still be saved; starting it then offers the same ways to get one.
  const skipping = step === 'binary' && trusted === 0;
  const index = steps.indexOf(step);
  const last = index === steps.length - 1;

  const go = (next: Step) => {
    setStep(next);
    setFormError(null);
    // The new step's heading takes focus so a screen reader announces where the user is.
    requestAnimationFrame(() => heading.current?.focus());
  };

  // A field that shows an error is checked again on every change, so the error goes once it is fixed.
  const edit = (path: (typeof POOL_FIELDS)[number], value: string) => {
    const nextPool = path === 'config.pool' ? value : pool;
    const nextWallet = path === 'config.wallet' ? value : wallet;
    if (path === 'config.pool') setPool(value);
    else setWallet(value);
    if (!errors[path]) return;
    const fresh = poolErrors(minerType, nextPool, nextWallet);
    setErrors((e) => {
      const { [path]: _old, ...rest } = e;
      return fresh[path] ? { ...rest, [path]: fresh[path] } : rest;
    });
  };

  const checkPool = (): boolean => {
    const found = poolErrors(minerType, pool, wallet);
    setErrors(found);
    const first = POOL_FIELDS.find((p) => found[p]);
    if (first) document.getElementById(FIELD_IDS[first])?.focus();
    return !first;
  };

  const save = async () => {
    setBusy(true);
    setFormError(null);
    const choice = cpuChoice(cpu);
    const config: MinerConfigInput = { pool: pool.trim(), wallet: wallet.trim() };
    if (binary.binaryId) config.binaryId = binary.binaryId;
    if (minerType === 'xmrig') {
      config.threads = 0;
      config.cpuMaxThreadsHint = choice.hint;
      if (choice.priority !== undefined) config.cpuPriority = choice.priority;
    }
    try {
      const profile = await client.saveProfile({
        name: `My ${MINER_TYPE_LABELS[minerType]}`,
        minerType,
        config,
      });
      useProfilesStore.getState().upsert(profile);
      setSaved({ profileId: profile.id, name: profile.name, minerType });
    } catch (err) {
      const fields = serverFieldErrors(err);
      if (fields && POOL_FIELDS.some((p) => fields[p])) {
        setErrors(fields);
        go('pool');
      } else setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const next = (e: FormEvent) => {
    e.preventDefault();
    if (step === 'miner') setGetBinary(trusted === 0);
    if (step === 'pool' && !checkPool()) return;
    if (last) void save();
    else go(steps[index + 1] as Step);
  };

  const back = () => (index === 0 ? onCancel() : go(steps[index - 1] as Step));

  const ready = (found: ReadyBinary) => {
    setBinary(found);
    go('pool');
  };

  const titles: Record<Step, string> = {
    miner: 'Which miner?',
    binary: `Get ${MINER_TYPE_LABELS[minerType]}`,
    pool: 'Pool and wallet',
    cpu: 'How much of this computer?',
  };

  return (
    <form className="card wizard" onSubmit={next} noValidate data-testid="firstrun-form" data-step={step}>
      <p className="wizard-progress muted" data-testid="firstrun-progress">
        Step {index + 1} of {steps.length}
      </p>
      <h2 id="firstrun-step-title" ref={heading} tabIndex={-1}>
        {titles[step]}
      </h2>
      {step === 'miner' && (
        <fieldset className="choices-list" aria-labelledby="firstrun-step-title">
          {MINERS.map((m) => (
            <Choice
              key={m.value}
              name="miner"
              value={m.value}
              checked={minerType === m.value}
              onSelect={() => setMinerType(m.value)}
              title={m.title}
            >
              {m.text}
            </Choice>
          ))}
        </fieldset>
      )}
      {step === 'binary' && <GetBinaryStep minerType={minerType} onReady={ready} />}
      {step === 'pool' && (
        <>
          {binary.note && (
            <p className="install-done" role="status" data-testid="firstrun-binary-note">
              {binary.note}
            </p>
          )}
          {trusted > 0 && (
            <TrustedBinaryField
              id="firstrun-binaryId"
              testPrefix="firstrun"
              minerType={minerType}
              value={binary.binaryId}
              onChange={(binaryId) => setBinary({ binaryId, note: '' })}
            />
          )}
          <p className="muted">Where the miner sends its work, and the address your earnings go to.</p>
          <TextField
            id="firstrun-pool"
            label="Pool address"
            path="config.pool"
            testPrefix={PREFIX}
            value={pool}
            onChange={(v) => edit('config.pool', v)}
            error={errors['config.pool']}
            placeholder="stratum+tcp://pool.example.com:3333"
            hint="Given by your pool, like pool.example.com:3333"
          />
          <TextField
            id="firstrun-wallet"
            label="Wallet address"
            path="config.wallet"
            testPrefix={PREFIX}
            value={wallet}
            onChange={(v) => edit('config.wallet', v)}
            error={errors['config.wallet']}
          />
        </>
      )}
      {step === 'cpu' && (
        <fieldset className="choices-list" aria-labelledby="firstrun-step-title">
          {CPU_CHOICES.map((c) => (
            <Choice
              key={c.id}
              name="cpu"
              value={c.id}
              checked={cpu === c.id}
              onSelect={() => setCpu(c.id)}
              title={c.label}
            >
              {c.summary}
            </Choice>
          ))}
          <p className="field-hint">You can change this later, even while mining, on the Miners page.</p>
        </fieldset>
      )}
      {formError && (
        <p className="field-error" role="alert" data-testid="firstrun-setup-error">
          {formError}
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          className={skipping ? 'btn' : 'btn btn-primary'}
          disabled={busy}
          data-testid="firstrun-next"
        >
          {last ? (busy ? 'Saving…' : 'Save profile') : skipping ? 'Skip for now' : 'Next'}
        </button>
        <button type="button" className="btn" onClick={back} data-testid="firstrun-back">
          Back
        </button>
      </div>
    </form>
  );
}

export function FirstRunPage() {
  const client = useClient();
  const host = useUiStore((s) => s.host);
  const [mode, setMode] = useState<'choose' | 'setup'>('choose');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const demo = async () => {
    setBusy(true);
    setError(null);
    try {
      const profile = await client.saveProfile({ name: 'Demo', minerType: 'simulated', config: {} });
      useProfilesStore.getState().upsert(profile);
      const miner = await client.startMiner({ profileId: profile.id });
      useMinersStore.getState().upsert(miner);
      useUiStore.getState().setPage('dashboard');
      useUiStore.getState().setFirstRun(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page first-run" data-testid="firstrun">
      <h1 className="page-title">Welcome to HashDeck</h1>
      <p>
        HashDeck runs miners on this computer and shows what they do.{' '}
        {host === 'desktop'
          ? 'Mining is always visible, here and in the system tray.'
          : 'Mining is always visible on this page.'}
      </p>
      {mode === 'choose' ? (
        <div className="choices">
          <button
            type="button"
            className="btn btn-primary btn-large"
            disabled={busy}
            onClick={() => setMode('setup')}
            data-testid="firstrun-setup"
          >
            Set up a miner
          </button>
          <button
            type="button"
            className="btn btn-large"
            disabled={busy}
            onClick={() => void demo()}
            data-testid="firstrun-demo"
          >
            {busy ? 'Starting the demo…' : 'Try the simulated demo'}
          </button>
          <button
            type="button"
            className="btn-link"
            onClick={() => useUiStore.getState().setFirstRun(false)}
            data-testid="firstrun-skip"
          >
            Skip for now
          </button>
        </div>
      ) : (
        <SetupWizard onCancel={() => setMode('choose')} />
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="firstrun-error">
          {error}
        </p>
      )}
    </div>
  );
}
