import type { Personality } from './core/personality';
import { notion } from './notion';

/** Every provider the mock emulates. Adding one = a folder `src/<id>/` + a line here. */
export const personalities: readonly Personality[] = [notion];
