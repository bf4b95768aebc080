import { ThemeDtoSchema } from '@plugboard/contracts';
import { publicProcedure } from '../../../trpc';

/** The host's name, logo and contrast-checked accents: public, the sign-in page shows them too. */
export const getTheme = publicProcedure.output(ThemeDtoSchema).query(({ ctx }) => ctx.theme);
