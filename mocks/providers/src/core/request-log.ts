/**
 * What the mock received, for tests to assert on ("the server called the token endpoint once").
 * Entries carry no query string, headers or body, so no secret or token can end up here.
 */
export interface RequestLogEntry {
  id: string;
  /** Mock-clock time the request arrived, ISO 8601. */
  at: string;
  provider: string;
  endpoint: string;
  method: string;
  path: string;
  /** `null` when the request was held by a `timeout` fault and never answered. */
  status: number | null;
}

export interface RequestLogFilter {
  provider?: string | undefined;
  endpoint?: string | undefined;
}

export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #nextId = 1;

  record(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
    const full = { id: String(this.#nextId++), ...entry };
    this.#entries.push(full);
    return full;
  }

  /** Oldest first, so the newest entry is last. */
  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.#entries.filter(
      (e) =>
        (filter.provider === undefined || e.provider === filter.provider) &&
        (filter.endpoint === undefined || e.endpoint === filter.endpoint),
    );
  }

  reset(): void {
    this.#entries = [];
    this.#nextId = 1;
  }
}
