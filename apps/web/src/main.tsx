import { I18nProvider } from '@lingui/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { activateLocale, i18n } from './i18n/i18n';
import { resolveLocale } from './i18n/locales';
import './styles.css';
import './features.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Start in the browser's language (a connect token's locale, once the session is known, can
// switch it), with its catalog loaded so the first paint is not in English.
// If that catalog cannot load, English it is.
void activateLocale(resolveLocale(navigator.languages))
  .catch(() => undefined)
  .then(() =>
    createRoot(root).render(
      <StrictMode>
        <I18nProvider i18n={i18n}>
          <App />
        </I18nProvider>
      </StrictMode>,
    ),
  );
