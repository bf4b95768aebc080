import type { ProviderBrand } from '@plugboard/contracts';
import type { SimpleIcon } from 'simple-icons';

/**
 * A provider's mark from simple-icons (CC0, https://github.com/simple-icons/simple-icons): bundled
 * with the server, so the Connect UI never loads a logo from another host. Brands that asked
 * simple-icons to remove them (Slack, Salesforce) have no `brand` and show a letter tile.
 */
export function brandFrom(icon: SimpleIcon): ProviderBrand {
  return { svgPath: icon.path, hex: `#${icon.hex.toLowerCase()}` };
}
