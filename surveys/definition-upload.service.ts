import { ValidationError } from '../server/errors.js';
import { getWorkspace, insertSurvey, slugProblems, storeVersion } from './builder.service.js';
import { SurveyModel } from './survey.model.js';
import { checkDefinition } from './survey.service.js';

export type UploadTarget = 'new' | 'draft' | 'version';

/**
 * Saves an uploaded definition (already parsed JSON): validated first, nothing stored when it
 * has problems. `new` needs a free slug; `draft` and `version` need the survey to exist, and
 * replace a draft only when asked to.
 */
export async function importDefinition(input: unknown, target: unknown, options: { slug?: string; replaceDraft?: boolean } = {}): Promise<{ slug: string; target: UploadTarget; version?: number }> {
  if (target !== 'new' && target !== 'draft' && target !== 'version') throw new ValidationError([{ field: 'target', code: 'targetRequired' }], 'invalidUpload');
  const raw = options.slug && target === 'new' && input && typeof input === 'object' ? { ...(input as object), slug: options.slug } : input;
  const definition = checkDefinition(raw);
  const slug = definition.slug;
  if (target === 'new') {
    const problems = await slugProblems(slug, 'target');
    if (problems.length) throw new ValidationError(problems, 'invalidUpload');
    await insertSurvey({ slug, status: 'closed', version: 0 }, 'target');
    return { slug, target, version: await storeVersion(slug, 0, definition, []) };
  }
  if (!(await SurveyModel.exists({ slug }))) throw new ValidationError([{ field: 'target', code: 'noSuchSurvey', params: { slug } }], 'invalidUpload');
  const ws = await getWorkspace(slug);
  if (ws.draft && !options.replaceDraft) throw new ValidationError([{ field: 'replaceDraft', code: 'draftExists', params: { slug } }], 'invalidUpload');
  if (target === 'draft') {
    await SurveyModel.updateOne({ slug }, { $set: { draft: definition, draftUpdatedAt: new Date() }, $inc: { draftRevision: 1 } });
    return { slug, target };
  }
  const version = await storeVersion(slug, ws.version, definition, ws.hiddenLanguages);
  await SurveyModel.updateOne({ slug }, { $unset: { draft: 1, draftUpdatedAt: 1 }, $inc: { draftRevision: 1 } });
  return { slug, target, version };
}
