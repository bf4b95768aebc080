import { z } from 'zod';

/**
 * A provider's mark as data: one SVG path on a 24×24 view box (the simple-icons format,
 * https://github.com/simple-icons/simple-icons) and its brand colour. Only path-data characters
 * pass, so the Connect UI can render it as `<path d>` and nothing else; adding a provider never
 * needs an edit to the web app.
 */
export const ProviderBrandSchema = z.object({
  svgPath: z
    .string()
    .min(1)
    .max(8000)
    .regex(/^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]+$/, 'must be SVG path data only'),
  hex: z.string().regex(/^#[0-9a-f]{6}$/i, 'must be a #rrggbb colour'),
});
export type ProviderBrand = z.infer<typeof ProviderBrandSchema>;
