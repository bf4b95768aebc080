import { personalities } from './personalities.generated';

/**
 * Every provider the mock emulates: one folder `src/<id>/` each, listed by
 * scripts/generate-registries.ts (`pnpm run generate`; `pnpm test` checks the list is current).
 */
export { personalities };
