import type { MetadataOf } from '@plugboard/contracts';
import type { Account } from '../../types';
import type { TelegramUser } from './gateway';

/** The account a signed-in Telegram user is connected as. */
export function telegramAccount(
  user: TelegramUser,
  loginMethod: 'phone' | 'qr',
): Account<MetadataOf<'telegram'>> {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  const handle = user.username ? `@${user.username}` : null;
  const label =
    name && handle ? `${name} (${handle})` : name || handle || `Telegram user ${user.id}`;
  return {
    accountId: user.id,
    label,
    metadata: {
      providerId: 'telegram',
      userId: user.id,
      firstName: user.firstName,
      lastName: user.lastName,
      username: user.username,
      phone: user.phone,
      loginMethod,
    },
  };
}
