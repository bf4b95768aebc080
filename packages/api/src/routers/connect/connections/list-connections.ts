import { ConnectionDtoSchema } from '@plugboard/contracts';
import { listConnections as list } from '@plugboard/core';
import { z } from 'zod';
import { sessionProcedure } from '../../../trpc';

export const listConnections = sessionProcedure
  .output(z.array(ConnectionDtoSchema))
  .query(({ ctx }) => list(ctx.em, ctx.session.externalUserId));
