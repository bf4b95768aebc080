import { ListAuditLogInputSchema, ListAuditLogOutputSchema } from '@plugboard/contracts';
import { listAuditLog as list } from '@plugboard/core';
import { apiKeyProcedure } from '../../../trpc';

/** Who did what, newest first; filter by connection, actor or action; page with `nextCursor`. */
export const listAuditLog = apiKeyProcedure
  .input(ListAuditLogInputSchema)
  .output(ListAuditLogOutputSchema)
  .query(({ ctx, input }) => list(ctx.em, ctx.deps, input));
