import { AttemptDtoSchema, AttemptGetInputSchema } from '@plugboard/contracts';
import { getAttempt as get } from '@plugboard/core';
import { sessionProcedure } from '../../../trpc';

export const getAttempt = sessionProcedure
  .input(AttemptGetInputSchema)
  .output(AttemptDtoSchema)
  .query(({ ctx, input }) => get(ctx.em, ctx.deps, ctx.session, input.attemptId));
