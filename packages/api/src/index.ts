import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { appRouter, type AppRouter } from './root';
export { createContextInner, type Context } from './context';
export { createCallerFactory, type PlugboardErrorData } from './trpc';
export { PROXY_SCOPE, requiredScope, SERVER_PROCEDURE_SCOPES } from './scopes';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { authenticateServerRequest, bearerOf } from './server-auth';
