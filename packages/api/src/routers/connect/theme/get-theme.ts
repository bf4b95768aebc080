import { ThemeDtoSchema } from '@plugboard/contracts';
import { sessionProcedure } from '../../../trpc';

/**
 * The host's name, logo and contrast-checked accents for the Connect UI. Behind the session like
 * every connect.* procedure but session.me: a user arriving from the host's connect link has one.
 */
export const getTheme = sessionProcedure.output(ThemeDtoSchema).query(({ ctx }) => ctx.theme);
