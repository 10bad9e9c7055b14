import { z } from 'zod';
import { cleanText } from './answers.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';

/** Limits of the settings form; the messages interpolate them. */
export const SETTINGS_LIMITS = {
  libraryName: 120,
  thankYouUrl: 500,
  idleMin: 10,
  idleMax: 3600,
  /** The same length the kiosk keeps from `?location=`, so a saved name and a recorded one match. */
  location: 60,
  locations: 30,
} as const;

/** An absolute https address on a real host, without user name or password. */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}

const line = z.string().transform((v) => cleanText(v, false));

/** One name a line; blank lines and repeats (ignoring case) dropped, order kept. */
function locationLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of cleanText(text, true).split('\n')) {
    const name = cleanText(raw, false).replace(/\s+/g, ' ');
    const key = name.toLocaleLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}

/**
 * The settings form. Each message is the i18n code of the problem (`settings:errors.<code>`),
 * so tests and the view read codes, not text.
 */
export const SettingsInput = z.object({
  libraryName: line.pipe(z.string().max(SETTINGS_LIMITS.libraryName, 'libraryNameLength')),
  thankYouUrl: line.pipe(
    z
      .string()
      .max(SETTINGS_LIMITS.thankYouUrl, 'thankYouUrlLength')
      .refine((v) => v === '' || isHttpsUrl(v), 'thankYouUrl')
      .transform((v) => (v === '' ? '' : new URL(v).href)),
  ),
  kioskIdleSeconds: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, 'kioskIdleSeconds')
    .transform(Number)
    .pipe(z.number().int().min(SETTINGS_LIMITS.idleMin, 'kioskIdleSeconds').max(SETTINGS_LIMITS.idleMax, 'kioskIdleSeconds')),
  kioskLocations: z
    .string()
    .transform(locationLines)
    .pipe(z.array(z.string().max(SETTINGS_LIMITS.location, 'kioskLocationLength')).max(SETTINGS_LIMITS.locations, 'tooManyLocations')),
  defaultLanguages: z
    .array(z.enum(LANGUAGE_CODES as [LanguageCode, ...LanguageCode[]], 'defaultLanguages'))
    .min(1, 'defaultLanguagesEmpty')
    .transform((codes) => LANGUAGE_CODES.filter((c) => codes.includes(c))),
});

export type SettingsInput = z.infer<typeof SettingsInput>;
