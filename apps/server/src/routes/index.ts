import type { FastifyInstance } from 'fastify';
import { registerRestRoutes } from '../rest/plugin';
import { registerConnectLinkRoutes } from './connect-link';
import type { RouteContext } from './context';
import { registerHealthRoutes } from './health';
import { registerMetricsRoutes } from './metrics';
import { registerOAuthCallbackRoutes } from './oauth-callback';
import { registerOAuthLaunchRoutes } from './oauth-launch';
import { registerOAuthTokenRoutes } from './oauth-token';
import { registerProxyRoutes } from './proxy';
import { registerProviderEventRoutes } from './provider-events';
import { registerSdkRoute } from './sdk';
import { registerTrpcRoutes } from './trpc';
import { registerWebAppRoutes } from './web-app';

export { perMinute, sendError, sessionCookieNames, type RouteContext } from './context';

/** Every HTTP route of the server, one module per concern. The web app (and 404) comes last. */
export async function registerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  registerHealthRoutes(app, ctx);
  if (ctx.metrics) registerMetricsRoutes(app, ctx.metrics);
  registerConnectLinkRoutes(app, ctx);
  registerOAuthCallbackRoutes(app, ctx);
  registerOAuthLaunchRoutes(app, ctx);
  registerOAuthTokenRoutes(app, ctx);
  await registerProxyRoutes(app, ctx);
  registerProviderEventRoutes(app, ctx);
  await registerSdkRoute(app);
  await registerTrpcRoutes(app, ctx);
  await registerRestRoutes(app, ctx);
  await registerWebAppRoutes(app, ctx);
}
