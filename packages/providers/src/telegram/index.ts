import type { TelegramProvider } from '../types';
import { siTelegram } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * Telegram user accounts (https://core.telegram.org/api/auth). The login itself is MTProto, run by
 * core's Telegram gateway (gramjs live, the mock's HTTP emulation otherwise); the catalog only
 * lists it.
 */
export const telegram: TelegramProvider = {
  id: 'telegram',
  name: 'Telegram',
  description: 'A Telegram user account, by phone code or QR login.',
  color: '#229ed9',
  brand: brandFrom(siTelegram),
  liveBaseUrl: 'https://telegram.org',
  authMode: 'telegram',
  inputs: [],
};
