// Profile commands: list, save (real miners need pool and wallet, reported by field) and delete.
import { MinerError } from '../../../shared/errors';
import { fieldErrors, firstIssueMessage, minerStartSchema } from '../../../shared/schemas';
import type { Handlers, ServiceContext } from './context';

export function profileCommands(
  ctx: ServiceContext,
): Handlers<'listProfiles' | 'saveProfile' | 'deleteProfile'> {
  return {
    listProfiles: async () => ctx.profileList(),
    saveProfile: async (input) => {
      if (input.minerType !== 'simulated') {
        // Pool and wallet are required to mine for real; say so by field before saving.
        const check = minerStartSchema.safeParse({ minerType: input.minerType, config: input.config });
        if (!check.success) {
          throw new MinerError(
            'INVALID_INPUT',
            firstIssueMessage(check.error, 'Invalid profile'),
            fieldErrors(check.error),
          );
        }
      }
      const saved = await ctx.profiles.save(input);
      ctx.emit('profiles', ctx.profileList());
      return saved;
    },
    deleteProfile: async ({ id }) => {
      await ctx.profiles.delete(id);
      ctx.emit('profiles', ctx.profileList());
      return { ok: true };
    },
  };
}
