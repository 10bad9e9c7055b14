import { readFileSync } from 'node:fs';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { LANGUAGE_CODES, type LanguageCode } from '../surveys/languages.js';
import { fromRoot } from './paths.js';

/** One namespace per area; each area's strings live in its own file, in every language. */
export const NAMESPACES = ['common', 'staff', 'builder', 'distribution', 'data', 'partners', 'settings', 'insights'] as const;

export function readLocale(lang: LanguageCode, ns: (typeof NAMESPACES)[number]): Record<string, unknown> {
  return JSON.parse(readFileSync(fromRoot('server', 'locales', lang, `${ns}.json`), 'utf8')) as Record<string, unknown>;
}

/** One i18next instance for the app, with every shipped language loaded up front. */
export async function createI18n(): Promise<I18n> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const lang of LANGUAGE_CODES) {
    resources[lang] = Object.fromEntries(NAMESPACES.map((ns) => [ns, readLocale(lang, ns)]));
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: LANGUAGE_CODES,
    load: 'currentOnly',
    ns: [...NAMESPACES],
    defaultNS: 'common',
    // EJS escapes on output (<%= %>); escaping here as well would show "&amp;" to people.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<I18n['init']>[0]);
  return instance;
}

export type Translate = TFunction;
