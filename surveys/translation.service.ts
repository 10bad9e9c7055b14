import { NotFoundError, ValidationError } from '../server/errors.js';
import { getWorkspace, updateDraft, workingCopy, type Workspace } from './builder.service.js';
import { MAX_TEXT, type Draft } from './draft.js';
import { isLanguageCode, type LanguageCode } from './languages.js';
import { checkImport, type ImportCheck } from './translation-files.js';
import { applyStrings, setStrings, type FlatStrings } from './translation.js';

/**
 * Translations are edited in the draft, like every other change: staff save as often as they
 * like and publish when ready (publishing a translation makes a new version whose questions
 * and options are unchanged, so answers and tallies carry on as before).
 */
export interface TranslationTarget {
  ws: Workspace;
  def: Draft;
  lang: LanguageCode;
}

/** The survey's working copy and a language it has, other than its default (the source). */
export async function translationTarget(slug: string, rawLang: string): Promise<TranslationTarget> {
  const ws = await getWorkspace(slug);
  const def = workingCopy(ws);
  if (!isLanguageCode(rawLang) || !def.languages.includes(rawLang) || rawLang === def.defaultLanguage) throw new NotFoundError('languageNotInSurvey');
  return { ws, def, lang: rawLang };
}

/** Saves the translation form: each key given is set, and an emptied field removes that translation. */
export async function saveTranslations(slug: string, lang: LanguageCode, strings: FlatStrings): Promise<Draft> {
  const tooLong = Object.entries(strings).filter(([, text]) => text.trim().length > MAX_TEXT);
  if (tooLong.length) throw new ValidationError(tooLong.map(([key]) => ({ field: key, code: 'textTooLong', params: { max: MAX_TEXT } })), 'invalidTranslation');
  return updateDraft(slug, (draft) => setStrings(draft, lang, strings));
}

/** Imports a translation file's entries: known keys with text are applied; unknown keys and empty texts never change anything. */
export async function importTranslations(slug: string, lang: LanguageCode, def: Draft, entries: Record<string, unknown>): Promise<ImportCheck & { applied: number }> {
  const check = checkImport(def, entries);
  const applied = Object.keys(check.strings).length;
  if (applied) await updateDraft(slug, (draft) => applyStrings(draft, lang, check.strings));
  return { ...check, applied };
}
