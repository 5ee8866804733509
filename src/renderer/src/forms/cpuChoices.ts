// The first run's "how much CPU" choice: three presets over XMRig's live knobs (the max-threads hint
// and priority; threads stay automatic), each with what it means for the person at the computer.

export type CpuChoiceId = 'eco' | 'balanced' | 'max';

export interface CpuChoice {
  id: CpuChoiceId;
  label: string;
  /** cpuMaxThreadsHint: the share of hardware threads XMRig uses when threads are automatic. */
  hint: number;
  /** cpuPriority (0 idle … 5 highest); undefined keeps XMRig's default. */
  priority: number | undefined;
  summary: string;
}

export const CPU_CHOICES: readonly CpuChoice[] = [
  {
    id: 'eco',
    label: 'Eco',
    hint: 25,
    priority: 0,
    summary:
      'About a quarter of your processor threads, only when nothing else wants them. You will hardly notice it; it mines the least.',
  },
  {
    id: 'balanced',
    label: 'Balanced',
    hint: 50,
    priority: 1,
    summary:
      'About half of your processor threads at low priority. The computer stays usable for everyday work. Recommended.',
  },
  {
    id: 'max',
    label: 'Max',
    hint: 100,
    priority: undefined,
    summary:
      'Every processor thread at normal priority. Mines the most, but the computer may feel slow and get hot and loud.',
  },
];

export const DEFAULT_CPU_CHOICE: CpuChoiceId = 'balanced';

export function cpuChoice(id: CpuChoiceId): CpuChoice {
  return CPU_CHOICES.find((c) => c.id === id) ?? (CPU_CHOICES[1] as CpuChoice);
}
