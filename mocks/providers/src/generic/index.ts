import type { Personality } from '../core/personality';
import { github } from './github';
import { googleDrive } from './google-drive';
import { hubspot } from './hubspot';
import { salesforce } from './salesforce';
import { slack } from './slack';

/**
 * The generic personalities: one per Plugboard provider id, sharing the authorize/consent and
 * code-redemption machinery in `flow.ts`, each with its own paths, bodies and error shapes.
 */
export const genericPersonalities: readonly Personality[] = [
  github,
  slack,
  googleDrive,
  hubspot,
  salesforce,
];
