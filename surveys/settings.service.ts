import { databaseKnownAway } from '../server/db/availability.js';
import { UnavailableError, ValidationError, type FieldProblem } from '../server/errors.js';
import { LANGUAGE_CODES, type LanguageCode } from './languages.js';
import { prepareLogo, LOGO_MAX_BYTES, LOGO_MAX_SIDE } from './logo.js';
import { SETTINGS_ID, SettingsModel, type LogoType } from './settings.model.js';
import { SETTINGS_LIMITS, SettingsInput } from './settings.schema.js';

/** What applies until an administrator saves a value: the configuration's. */
export interface SettingsDefaults {
  libraryName: string;
  kioskIdleSeconds: number;
  /** KIOSK_LOCATION: one location, or '' for none. */
  kioskLocation: string;
}

export interface LogoInfo {
  contentType: LogoType;
  hash: string;
  updatedAt: Date;
}

export interface LibrarySettings {
  libraryName: string;
  /** An https address shown as "Learn more" on thank-you pages, or ''. */
  thankYouUrl: string;
  kioskIdleSeconds: number;
  kioskLocations: string[];
  /** Languages a new survey starts with. */
  defaultLanguages: LanguageCode[];
  logo: LogoInfo | null;
}

export interface Logo extends LogoInfo {
  data: Buffer;
}

interface Stored {
  libraryName?: string;
  thankYouUrl?: string;
  kioskIdleSeconds?: number;
  kioskLocations?: string[];
  defaultLanguages?: LanguageCode[];
  logo?: Logo;
}

const BUILT_IN: SettingsDefaults = { libraryName: '', kioskIdleSeconds: 90, kioskLocation: '' };

/**
 * Every page reads the settings, so they are cached in memory: cleared on every save here,
 * and re-read after CACHE_MS so other app instances see a change soon too.
 */
const CACHE_MS = 30_000;
let cache: { stored: Stored | null; at: number } | null = null;
/** Bumped on every save, so a read that started before a save never caches the old values. */
let generation = 0;

/** Forgets the cached settings (after a save; tests call it after clearing the database). */
export function clearSettingsCache(): void {
  cache = null;
  generation += 1;
}

function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const binary = data as { buffer?: Uint8Array };
  return Buffer.from(binary.buffer ?? new Uint8Array());
}

async function readStored(): Promise<Stored | null> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.stored;
  // While the database is away every page keeps the last values read rather than wait for it.
  if (databaseKnownAway()) {
    if (cache) return cache.stored;
    throw new UnavailableError('unavailable');
  }
  const started = generation;
  let doc;
  try {
    doc = await SettingsModel.findById(SETTINGS_ID).lean();
  } catch (err) {
    if (cache) return cache.stored;
    throw err;
  }
  const stored: Stored | null = doc
    ? {
        ...(typeof doc.libraryName === 'string' ? { libraryName: doc.libraryName } : {}),
        ...(typeof doc.thankYouUrl === 'string' ? { thankYouUrl: doc.thankYouUrl } : {}),
        ...(typeof doc.kioskIdleSeconds === 'number' ? { kioskIdleSeconds: doc.kioskIdleSeconds } : {}),
        ...(Array.isArray(doc.kioskLocations) ? { kioskLocations: doc.kioskLocations } : {}),
        ...(Array.isArray(doc.defaultLanguages) ? { defaultLanguages: doc.defaultLanguages.filter((c): c is LanguageCode => (LANGUAGE_CODES as string[]).includes(c)) } : {}),
        ...(doc.logo ? { logo: { data: asBuffer(doc.logo.data), contentType: doc.logo.contentType as LogoType, hash: doc.logo.hash, updatedAt: doc.logo.updatedAt } } : {}),
      }
    : null;
  if (started === generation) cache = { stored, at: Date.now() };
  return stored;
}

/**
 * The library's settings: each saved value, or the configuration's default for what was
 * never saved. Served from a short in-memory cache.
 */
export async function getSettings(defaults: Partial<SettingsDefaults> = {}): Promise<LibrarySettings> {
  const d = { ...BUILT_IN, ...defaults };
  const s = (await readStored()) ?? {};
  return {
    libraryName: s.libraryName ?? d.libraryName,
    thankYouUrl: s.thankYouUrl ?? '',
    kioskIdleSeconds: s.kioskIdleSeconds ?? d.kioskIdleSeconds,
    kioskLocations: s.kioskLocations ?? (d.kioskLocation ? [d.kioskLocation] : []),
    defaultLanguages: s.defaultLanguages?.length ? s.defaultLanguages : [...LANGUAGE_CODES],
    logo: s.logo ? { contentType: s.logo.contentType, hash: s.logo.hash, updatedAt: s.logo.updatedAt } : null,
  };
}

/** The logo's bytes and type, or null when none was uploaded. */
export async function getLogo(): Promise<Logo | null> {
  return (await readStored())?.logo ?? null;
}

/** Interpolation values for each problem code's message. */
const PARAMS: Record<string, Record<string, number>> = {
  libraryNameLength: { max: SETTINGS_LIMITS.libraryName },
  thankYouUrlLength: { max: SETTINGS_LIMITS.thankYouUrl },
  kioskIdleSeconds: { min: SETTINGS_LIMITS.idleMin, max: SETTINGS_LIMITS.idleMax },
  kioskLocationLength: { max: SETTINGS_LIMITS.location },
  tooManyLocations: { max: SETTINGS_LIMITS.locations },
  fileTooLarge: { max: LOGO_MAX_BYTES / 1024 },
  logoDimensions: { max: LOGO_MAX_SIDE },
};

export function problemParams(code: string): Record<string, number> {
  return PARAMS[code] ?? {};
}

/** The settings form's fields as typed, for showing the form again. */
export interface SettingsFormValues {
  libraryName: string;
  thankYouUrl: string;
  kioskIdleSeconds: string;
  kioskLocations: string;
  defaultLanguages: string[];
}

export function formValuesFrom(body: Record<string, unknown>): SettingsFormValues {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const langs = body.defaultLanguages;
  return {
    libraryName: text(body.libraryName),
    thankYouUrl: text(body.thankYouUrl),
    kioskIdleSeconds: text(body.kioskIdleSeconds),
    kioskLocations: text(body.kioskLocations),
    defaultLanguages: (Array.isArray(langs) ? langs : langs === undefined ? [] : [langs]).filter((v): v is string => typeof v === 'string'),
  };
}

export function formValuesOf(s: LibrarySettings): SettingsFormValues {
  return { libraryName: s.libraryName, thankYouUrl: s.thankYouUrl, kioskIdleSeconds: String(s.kioskIdleSeconds), kioskLocations: s.kioskLocations.join('\n'), defaultLanguages: s.defaultLanguages };
}

/** Validates and saves the settings form; throws ValidationError with a problem per field. */
export async function saveSettings(values: SettingsFormValues): Promise<void> {
  const parsed = SettingsInput.safeParse(values);
  if (!parsed.success) {
    const problems: FieldProblem[] = [];
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      if (problems.some((p) => p.field === field)) continue;
      problems.push({ field, code: issue.message, params: problemParams(issue.message) });
    }
    throw new ValidationError(problems, 'invalidSettings');
  }
  await SettingsModel.updateOne({ _id: SETTINGS_ID }, { $set: parsed.data }, { upsert: true });
  clearSettingsCache();
}

/** Checks, cleans and saves an uploaded logo (type decided from its content). */
export async function saveLogo(file: { buffer: Buffer; kind: string }): Promise<void> {
  if (file.kind !== 'png' && file.kind !== 'jpeg' && file.kind !== 'svg') throw new ValidationError([{ field: 'logo', code: 'fileType' }], 'fileType');
  const logo = await prepareLogo(file.buffer, file.kind);
  await SettingsModel.updateOne({ _id: SETTINGS_ID }, { $set: { logo: { ...logo, updatedAt: new Date() } } }, { upsert: true });
  clearSettingsCache();
}

export async function removeLogo(): Promise<void> {
  await SettingsModel.updateOne({ _id: SETTINGS_ID }, { $unset: { logo: 1 } });
  clearSettingsCache();
}
