import type { Personality } from './core/personality';
import { calendly } from './calendly';
import { genericPersonalities } from './generic';
import { notion } from './notion';
import { paypal } from './paypal';
import { shopify } from './shopify';
import { telegram } from './telegram';
import { zoom } from './zoom';
import { stripe } from './stripe';

/** Every provider the mock emulates. Adding one = a folder `src/<id>/` + a line here. */
export const personalities: readonly Personality[] = [
  notion,
  calendly,
  zoom,
  ...genericPersonalities,
  stripe,
  telegram,
  shopify,
  paypal,
];
