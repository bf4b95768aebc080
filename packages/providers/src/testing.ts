/** Test fixtures of the provider folders; not part of the runtime surface (`@plugboard/providers/testing`). */
export type { MockConnection } from './testing/mock-connection';
export { mockConnections } from './testing/mock-connections.generated';
