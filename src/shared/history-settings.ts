// Settings of the lasting history (1-minute points and events per miner in the data folder): how many
// days are kept before the daily prune removes them.
import { z } from 'zod';

export const historySettingsSchema = z.object({
  retentionDays: z
    .number()
    .int()
    .min(1, 'History must be kept at least 1 day')
    .max(3650, 'History is kept at most 3650 days')
    .default(30),
});

export type HistorySettings = z.output<typeof historySettingsSchema>;

export const DEFAULT_HISTORY_SETTINGS: HistorySettings = historySettingsSchema.parse({});
