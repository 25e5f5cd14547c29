import i18next from 'i18next';
import { catalogue } from './catalogue';

export type Language = 'id' | 'en';
const STORAGE_KEY = 'ledger.language';

function savedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

// Synchronous: the resources are bundled, so the first render already has its texts.
void i18next.init({
  lng: savedLanguage(),
  fallbackLng: 'id',
  resources: catalogue,
  interpolation: { escapeValue: false }, // Preact escapes what it renders
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export const t = i18next.t.bind(i18next);
export const language = (): Language => (i18next.language === 'en' ? 'en' : 'id');

export async function setLanguage(next: Language): Promise<void> {
  await i18next.changeLanguage(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // A browser that keeps nothing still switches for this visit.
  }
}

export const hasKey = (key: string) => i18next.exists(key);
