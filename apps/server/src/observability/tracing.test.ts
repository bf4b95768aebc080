import { SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { describeSql, scrubbingExporter } from './tracing';

describe('scrubbingExporter', () => {
  it('passes allow-listed attributes only, cuts url.path at the query, drops events and status text', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: scrubbingExporter(memory) })],
    });
    const span = provider.getTracer('test').startSpan('GET /connect', {
      attributes: {
        'url.path': '/connect?token=ctok_secret123',
        'url.full': 'http://x/connect?token=ctok_secret123',
        'url.query': 'token=ctok_secret123',
        'http.request.header.authorization': 'Bearer pk_secret',
        'db.query.text': "select * from sessions where hash = 'abc'",
        'http.route': '/connect',
        'plugboard.provider_id': 'notion',
      },
    });
    span.recordException(new Error('failed with code=secret-code'));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'state=secret-state' });
    span.end();
    await provider.forceFlush();
    const [exported] = memory.getFinishedSpans();
    expect(exported!.attributes).toEqual({
      'url.path': '/connect',
      'http.route': '/connect',
      'plugboard.provider_id': 'notion',
    });
    expect(exported!.events).toEqual([]);
    expect(exported!.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(JSON.stringify(exported!.attributes)).not.toContain('secret');
    expect(exported!.spanContext().spanId).toBe(span.spanContext().spanId);
  });
});

describe('describeSql', () => {
  it('names the operation and table, and nothing of the values', () => {
    expect(describeSql('select `c0`.* from `connections` as `c0` where `c0`.`id` = ?')).toEqual({
      operation: 'SELECT',
      table: 'connections',
    });
    expect(describeSql('insert into "webhook_deliveries" ("id") values ($1)')).toEqual({
      operation: 'INSERT',
      table: 'webhook_deliveries',
    });
    expect(describeSql('update `auth_attempts` set `status` = ?')).toEqual({
      operation: 'UPDATE',
      table: 'auth_attempts',
    });
    expect(describeSql('begin')).toEqual({ operation: 'BEGIN', table: null });
    expect(describeSql("vacuum 'x'")).toEqual({ operation: 'OTHER', table: null });
  });
});
