// A catalog imported with `?lingui` is compiled by @lingui/vite-plugin into Lingui messages.
declare module '*?lingui' {
  import type { Messages } from '@lingui/core';
  export const messages: Messages;
}
