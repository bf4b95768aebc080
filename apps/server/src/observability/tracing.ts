import { FastifyOtelInstrumentation } from '@fastify/otel';
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type AttributeValue,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { PlugboardError } from '@plugboard/contracts';
import type { QueryObserver } from '@plugboard/db';
import type { ProviderCallObserver } from '@plugboard/providers';
import type { FastifyInstance } from 'fastify';
import type { TracingEnv } from '../env';
import { pathOnly } from '../security';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set:
 * a span per request (@fastify/otel, https://github.com/fastify/otel), and below it a span per
 * provider call (ProviderHttp's observer) and per SQL statement (the database's query observer).
 *
 * Spans carry ids only. The exporter passes on an allow-list of attribute keys and nothing else:
 * no query string (`url.path` is cut at `?`), no SQL text, no status message, no events (an
 * exception event holds a message and a stack) — so a library adding an attribute later cannot
 * leak a token, code or state to the collector.
 */

const ALLOWED_ATTRIBUTES = new Set([
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'url.path',
  'server.address',
  'server.port',
  'db.system.name',
  'db.operation.name',
  'db.collection.name',
  'error.type',
  // @fastify/otel's own: which hook or handler a span is (code names).
  'fastify.root',
  'fastify.type',
  'hook.name',
  'hook.callback.name',
]);

function allowedAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!ALLOWED_ATTRIBUTES.has(key) && !key.startsWith('plugboard.')) continue;
    out[key] = key === 'url.path' && typeof value === 'string' ? pathOnly(value) : value;
  }
  return out;
}

/** What leaves the process: the span without anything outside the allow-list. */
function scrubbed(span: ReadableSpan): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext ? { parentSpanContext: span.parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: { code: span.status.code },
    attributes: allowedAttributes(span.attributes),
    links: [],
    events: [],
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount + span.events.length,
    droppedLinksCount: span.droppedLinksCount + span.links.length,
  };
}

export function scrubbingExporter(inner: SpanExporter): SpanExporter {
  return {
    export: (spans, done) => inner.export(spans.map(scrubbed), done),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

const SQL_OPERATIONS = new Set([
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'PRAGMA',
  'CREATE',
  'ALTER',
  'DROP',
]);

/** The statement's kind and main table, read from its text; the text itself is never kept. */
export function describeSql(sql: string): { operation: string; table: string | null } {
  const first = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toUpperCase() ?? '';
  const table = /\b(?:from|into|update)\s+[`"]?([a-z_][a-z0-9_]{0,62})[`"]?/i.exec(sql)?.[1];
  return {
    operation: SQL_OPERATIONS.has(first) ? first : 'OTHER',
    table: table ? table.toLowerCase() : null,
  };
}

let contextManagerSet = false;

export interface PlugboardTracing {
  /** Registers the request spans; must come before every route. */
  register(app: FastifyInstance): Promise<void>;
  observeProviderCall: ProviderCallObserver;
  observeQuery: QueryObserver;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

export function createTracing(config: TracingEnv): PlugboardTracing {
  // Active spans follow async calls through AsyncLocalStorage; one manager serves every server
  // in the process (registering a second one would fail), so it is set once and kept.
  if (!contextManagerSet) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const exporter = new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
  // Not registered globally: several servers in one test process each keep their own provider.
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: scrubbingExporter(exporter), scheduledDelayMillis: 1000 }),
    ],
  });
  const tracer = provider.getTracer('@plugboard/server');
  const instrumentation = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    // A span per request and per handler; hook spans (rate limit, CSRF check) would be noise.
    instrumentHooks: false,
    // An exception event carries a message and a stack: not sent (see the allow-list above).
    recordExceptions: false,
    requestHook(span, request) {
      // @fastify/otel records `request.url`, query string and all; the path is enough.
      span.setAttribute('url.path', pathOnly(request.url));
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`);
    },
  });
  instrumentation.setTracerProvider(provider);

  const observeProviderCall: ProviderCallObserver = (info, call) => {
    const url = new URL(info.url);
    const attributes: Record<string, AttributeValue> = {
      'plugboard.provider_id': info.providerId,
      'plugboard.provider_operation': info.operation,
      'http.request.method': info.method,
      'server.address': url.hostname,
      'url.path': url.pathname,
    };
    if (url.port) attributes['server.port'] = Number(url.port);
    return tracer.startActiveSpan(
      `provider ${info.operation}`,
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          const res = await call();
          span.setAttribute('http.response.status_code', res.status);
          if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return res;
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', err instanceof PlugboardError ? err.code : 'INTERNAL');
          throw err;
        } finally {
          span.end();
        }
      },
    );
  };

  const observeQuery: QueryObserver = (query, run) => {
    // Only inside a request or another span: the background loops' polling is not traced.
    if (!trace.getSpan(context.active())) return run();
    const { operation, table } = describeSql(query.sql);
    const attributes: Record<string, AttributeValue> = {
      'db.system.name': query.dialect,
      'db.operation.name': operation,
    };
    if (table) attributes['db.collection.name'] = table;
    return tracer.startActiveSpan(
      table ? `db ${operation} ${table}` : `db ${operation}`,
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          return await run();
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', err instanceof Error ? err.name : 'Error');
          throw err;
        } finally {
          span.end();
        }
      },
    );
  };

  return {
    async register(app) {
      await app.register(instrumentation.plugin());
    },
    observeProviderCall,
    observeQuery,
    async shutdown() {
      instrumentation.disable();
      await provider.shutdown();
    },
  };
}
