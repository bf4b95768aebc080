import { SessionDtoSchema } from '@plugboard/contracts';
import { toSessionDto } from '@plugboard/core';
import { z } from 'zod';
import { publicProcedure } from '../../../trpc';

export const getMe = publicProcedure
  .output(z.object({ session: SessionDtoSchema.nullable(), demoLoginAvailable: z.boolean() }))
  .query(({ ctx }) => ({
    session: ctx.session ? toSessionDto(ctx.session) : null,
    demoLoginAvailable: ctx.demoLoginAvailable,
  }));
