/**
 * The two routes behind every OAuth consent screen: the authorize GET (check client and redirect
 * URI, then show the consent page) and the POST its form sends (Allow / Deny). The order of the
 * checks, and so which error a bad request meets first, is the same for every provider and
 * lives here; what differs — wording, the provider's own parameter checks, what Deny and Allow
 * send back — comes in as options, so a personality writes only its differences.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from './accounts';
import type { RegisteredClient } from './clients';
import type { PendingConsents } from './grants';
import { htmlPage, renderConsentPage, renderErrorPage } from './html';
import type { Brand, ConsentPageInput } from './html';
import { readParams, resolveRedirectUri, withParams } from './oauth';
import type { Params, RedirectUriResolution, RedirectUriRule } from './oauth';
import type { ProviderContext, ProviderRouter } from './personality';

/** An error shown as a page, for requests the provider must not redirect. */
export interface PageError {
  status: number;
  title: string;
  message: string;
}

export function errorPage(reply: FastifyReply, brand: Brand, error: PageError): FastifyReply {
  return htmlPage(reply, error.status, renderErrorPage(brand, error.title, error.message));
}

/** What the consent route needs from a pending request, whatever else a provider keeps. */
export interface PendingAuthorization {
  redirectUri: string;
  state: string | undefined;
}

/** Back to the app: `params` in the order given, then the app's `state`. */
export function redirectBack(
  reply: FastifyReply,
  pending: PendingAuthorization,
  params: Record<string, string | undefined>,
): FastifyReply {
  return reply.redirect(withParams(pending.redirectUri, { ...params, state: pending.state }));
}

/** An authorize request whose client and redirect URI are trusted. */
export interface AuthorizeRequest {
  params: Params;
  client: RegisteredClient;
  redirectUri: string;
  /** Whether the request named the redirect URI (then the token request may have to repeat it). */
  redirectUriSent: boolean;
  request: FastifyRequest;
}

/** Marks a request already answered by `fail` or `page`: no consent page follows. */
export const ANSWERED: unique symbol = Symbol('answered');
export type Answered = typeof ANSWERED;

/** How `accept` turns a request down once the redirect URI is trusted. */
export interface AuthorizeAnswers {
  /** Back to the app with `error`, `error_description` and `state`. */
  fail(error: string, description: string): Answered;
  /** An error page instead, for errors the provider shows rather than redirects. */
  page(error: PageError): Answered;
}

/** What `accept` returns to show the consent page. */
export interface ConsentOffer<P> {
  /** Kept server-side until the form comes back: everything Allow needs to issue the code. */
  pending: P;
  /** What the page shows; see `ConsentPageInput`. */
  consent: Pick<ConsentPageInput, 'account' | 'details' | 'permissions'>;
  /** The form's target, when it depends on the request (Shopify's store); else `consentPath`. */
  action?: string;
}

export interface AuthorizeRouteOptions<A extends Account, P extends PendingAuthorization> {
  /** Below the provider prefix. */
  path: string;
  /** The consent route's path below the prefix: the form's target. */
  consentPath: string;
  brand: Brand;
  pending: PendingConsents<P>;
  /**
   * How a missing redirect URI is resolved (matching is always exact), or the provider's own
   * resolution when its rule is none of these.
   */
  redirectUri:
    | RedirectUriRule
    | ((client: RegisteredClient, requested: string | undefined) => RedirectUriResolution);
  /** Checked before the client, for requests that can fail earlier (an unknown store). */
  precheck?: (request: FastifyRequest) => PageError | undefined;
  unknownClient: PageError | ((clientId: string | undefined) => PageError);
  badRedirectUri:
    PageError | ((problem: { requested: string | undefined; reason: string }) => PageError);
  /**
   * Answers an unregistered redirect URI instead of the page (GitHub redirects to the
   * registered callback); return undefined to show the page after all.
   */
  onBadRedirectUri?: (client: RegisteredClient, params: Params, reply: FastifyReply) => unknown;
  /**
   * The provider's own checks (response_type, scope, PKCE, …) and what the consent page shows.
   * `account` is the one the page signs in as, read once so the page and the grant agree.
   */
  accept(
    request: AuthorizeRequest,
    account: A,
    answers: AuthorizeAnswers,
  ): ConsentOffer<P> | Answered;
}

/**
 * `GET <path>`: until client and redirect URI are trusted, errors are pages — redirecting would
 * make the provider an open redirector; after that, `accept` decides.
 */
export function registerAuthorizeRoute<A extends Account, P extends PendingAuthorization>(
  router: ProviderRouter,
  ctx: ProviderContext<A>,
  opts: AuthorizeRouteOptions<A, P>,
): void {
  router.route({
    method: 'GET',
    path: opts.path,
    endpoint: 'authorize',
    handler: async (request, reply) => {
      const early = opts.precheck?.(request);
      if (early !== undefined) return errorPage(reply, opts.brand, early);
      const params = readParams(request.query);
      const client = params.client_id === undefined ? undefined : ctx.findClient(params.client_id);
      if (client === undefined) {
        const error =
          typeof opts.unknownClient === 'function'
            ? opts.unknownClient(params.client_id)
            : opts.unknownClient;
        return errorPage(reply, opts.brand, error);
      }
      const redirect =
        typeof opts.redirectUri === 'function'
          ? opts.redirectUri(client, params.redirect_uri)
          : resolveRedirectUri(client, params.redirect_uri, opts.redirectUri);
      if (!redirect.ok) {
        // Only a named but unregistered URI can be answered another way; a missing one cannot.
        const named = params.redirect_uri !== undefined && params.redirect_uri !== '';
        const answered = named ? opts.onBadRedirectUri?.(client, params, reply) : undefined;
        if (answered !== undefined) return answered;
        const error =
          typeof opts.badRedirectUri === 'function'
            ? opts.badRedirectUri({ requested: params.redirect_uri, reason: redirect.reason })
            : opts.badRedirectUri;
        return errorPage(reply, opts.brand, error);
      }
      const answers: AuthorizeAnswers = {
        fail: (error, description) => {
          void reply.redirect(
            withParams(redirect.redirectUri, {
              error,
              error_description: description,
              state: params.state,
            }),
          );
          return ANSWERED;
        },
        page: (error) => {
          void errorPage(reply, opts.brand, error);
          return ANSWERED;
        },
      };
      const offer = opts.accept(
        {
          params,
          client,
          redirectUri: redirect.redirectUri,
          redirectUriSent: redirect.sent,
          request,
        },
        ctx.currentAccount(),
        answers,
      );
      if (offer === ANSWERED) return reply;
      const pendingId = opts.pending.create(offer.pending);
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand: opts.brand,
          clientName: client.name,
          ...offer.consent,
          action: offer.action ?? `/${ctx.id}${opts.consentPath}`,
          pendingId,
        }),
      );
    },
  });
}

/** Deny's answer: the standard redirect with extra parameters, or the provider's own. */
type DenyOptions<P> =
  | {
      /** Added to `error=access_denied` on the denial redirect, before `state`. */
      denyParams?: Record<string, string>;
      onDeny?: never;
    }
  | {
      denyParams?: never;
      /** Replaces the denial redirect (a byte-exact URL, or a page instead of a redirect). */
      onDeny: (pending: P, reply: FastifyReply) => unknown;
    };

export type ConsentRouteOptions<P extends PendingAuthorization> = DenyOptions<P> & {
  /** Below the provider prefix. */
  path: string;
  brand: Brand;
  pending: PendingConsents<P>;
  /** The page for an unknown, expired or already answered request, if worded differently. */
  expired?: { title: string; message: string };
  /** Whether the pending request belongs to this URL (Shopify's store); if not, it is expired. */
  belongsTo?: (pending: P, request: FastifyRequest) => boolean;
  /** Allow: issue the code (recording what the token step needs) and send the user back. */
  onAllow: (pending: P, reply: FastifyReply) => unknown;
};

const EXPIRED = {
  title: 'Request expired',
  message:
    'This authorization request has expired or was already answered. Start again from the app.',
};

/**
 * `POST <path>`, the consent form's target. The pending request is taken (single use) before
 * the decision is read, so a second submission of the same form finds it gone.
 */
export function registerConsentRoute<P extends PendingAuthorization>(
  router: ProviderRouter,
  opts: ConsentRouteOptions<P>,
): void {
  router.route({
    method: 'POST',
    path: opts.path,
    endpoint: 'consent',
    handler: async (request, reply) => {
      const params = readParams(request.body);
      const pending = params.pending === undefined ? undefined : opts.pending.take(params.pending);
      if (pending === undefined || opts.belongsTo?.(pending, request) === false) {
        const { title, message } = opts.expired ?? EXPIRED;
        return errorPage(reply, opts.brand, { status: 400, title, message });
      }
      if (params.decision === 'deny') {
        if (opts.onDeny !== undefined) return opts.onDeny(pending, reply);
        return redirectBack(reply, pending, { error: 'access_denied', ...opts.denyParams });
      }
      if (params.decision !== 'allow') {
        return errorPage(reply, opts.brand, {
          status: 400,
          title: 'Invalid decision',
          message: 'Choose Allow or Deny.',
        });
      }
      return opts.onAllow(pending, reply);
    },
  });
}
