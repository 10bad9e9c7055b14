import { ConflictError, ValidationError } from '../server/errors.js';
import { getWorkspace, insertSurvey, retitle, slugProblems, storeVersion } from './builder.service.js';
import { parseClosingDate } from './closing-date.js';
import type { LanguageCode } from './languages.js';
import { ResponseModel } from './response.model.js';
import { SurveyModel, SurveyVersionModel } from './survey.model.js';

/** Opens (optionally until a closing date) or closes a published survey. Opening an archived survey restores it. */
export async function setAvailability(slug: string, input: { status: unknown; closesAt: unknown }, now = new Date()): Promise<void> {
  const ws = await getWorkspace(slug);
  const problems = [];
  if (input.status !== 'open' && input.status !== 'closed') problems.push({ field: 'status', code: 'statusRequired' });
  const closesAt = input.status === 'open' ? parseClosingDate(input.closesAt) : null;
  if (closesAt === 'invalid') problems.push({ field: 'closesAt', code: 'dateFormat' });
  else if (closesAt && closesAt.getTime() <= now.getTime()) problems.push({ field: 'closesAt', code: 'dateInPast' });
  if (input.status === 'open' && !ws.definition) problems.push({ field: 'status', code: 'notPublished' });
  if (problems.length) throw new ValidationError(problems, 'invalidStatus');
  const status = input.status as 'open' | 'closed';
  await SurveyModel.updateOne({ slug }, closesAt instanceof Date ? { $set: { status, closesAt } } : { $set: { status }, $unset: { closesAt: 1 } });
}

/** Archived surveys are closed to respondents and left out of the staff list unless asked for. */
export async function archiveSurvey(slug: string): Promise<void> {
  await getWorkspace(slug);
  await SurveyModel.updateOne({ slug }, { $set: { status: 'archived' } });
}

export async function restoreSurvey(slug: string): Promise<void> {
  await getWorkspace(slug);
  await SurveyModel.updateOne({ slug, status: 'archived' }, { $set: { status: 'closed' } });
}

export async function responseCount(slug: string): Promise<number> {
  return ResponseModel.countDocuments({ surveySlug: slug });
}

/** Deletes a survey with every version; refused once anyone has answered (archive it instead). */
export async function deleteSurvey(slug: string): Promise<void> {
  await getWorkspace(slug);
  if ((await responseCount(slug)) > 0) throw new ConflictError('surveyHasResponses');
  await SurveyModel.deleteOne({ slug });
  await SurveyVersionModel.deleteMany({ slug });
}

/**
 * Copies a survey under a new slug: the published definition becomes version 1 of the copy
 * (or the draft stays a draft, for a survey never published), closed, with no responses.
 */
export async function duplicateSurvey(slug: string, input: { slug: unknown; title: unknown }): Promise<string> {
  const ws = await getWorkspace(slug);
  const newSlug = typeof input.slug === 'string' ? input.slug.trim() : '';
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const problems = await slugProblems(newSlug);
  if (title.length > 200) problems.push({ field: 'title', code: 'textTooLong', params: { max: 200 } });
  if (problems.length) throw new ValidationError(problems, 'invalidCopy');
  const source = ws.definition ?? ws.draft;
  if (!source) throw new ConflictError('neverPublished');
  const copy = retitle({ ...structuredClone(source), slug: newSlug }, title);
  const common = { slug: newSlug, status: 'closed', hiddenLanguages: ws.hiddenLanguages, analysis: ws.analysis };
  if (ws.definition) {
    await insertSurvey({ ...common, version: 0 }, 'slug');
    await storeVersion(newSlug, 0, copy, ws.hiddenLanguages);
  } else {
    await insertSurvey({ ...common, version: 0, draft: copy, draftRevision: 1, draftUpdatedAt: new Date() }, 'slug');
  }
  return newSlug;
}

/** Hides a language from respondents (pickers, kiosk start screens, negotiation) or shows it again. */
export async function setLanguageHidden(slug: string, lang: LanguageCode, hidden: boolean): Promise<void> {
  const ws = await getWorkspace(slug);
  const def = ws.draft ?? ws.definition;
  if (!def || !def.languages.includes(lang)) throw new ValidationError([{ field: 'lang', code: 'languageNotInSurvey' }], 'invalidLanguage');
  if (lang === def.defaultLanguage) throw new ValidationError([{ field: 'lang', code: 'defaultLanguageShown' }], 'invalidLanguage');
  await SurveyModel.updateOne({ slug }, hidden ? { $addToSet: { hiddenLanguages: lang } } : { $pull: { hiddenLanguages: lang } });
}
