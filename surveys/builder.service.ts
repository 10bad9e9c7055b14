import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../server/errors.js';
import { RESERVED_SLUGS, SLUG_PATTERN } from './builder-ids.js';
import type { SurveyDefinition } from './definition.schema.js';
import type { Draft } from './draft.js';
import { withText } from './draft.js';
import { isLanguageCode, type LanguageCode } from './languages.js';
import { SurveyModel, SurveyVersionModel, type SurveyStatus } from './survey.model.js';
import { checkDefinition, type AnalysisSettings } from './survey.service.js';

/** A survey as the builder sees it: the published definition (if any) and the draft (if any). */
export interface Workspace {
  slug: string;
  status: SurveyStatus;
  version: number;
  closesAt?: Date;
  hiddenLanguages: LanguageCode[];
  definition?: SurveyDefinition;
  draft?: Draft;
  draftRevision: number;
  draftUpdatedAt?: Date;
  analysis: AnalysisSettings;
}

type StoredSurvey = {
  slug: string;
  status?: string | null;
  version: number;
  definition?: unknown;
  draft?: unknown;
  draftRevision?: number | null;
  draftUpdatedAt?: Date | null;
  closesAt?: Date | null;
  hiddenLanguages?: string[] | null;
  analysis?: unknown;
};

export function toWorkspace(doc: StoredSurvey): Workspace {
  return {
    slug: doc.slug,
    status: (doc.status ?? 'open') as SurveyStatus,
    version: doc.version,
    ...(doc.closesAt ? { closesAt: doc.closesAt } : {}),
    hiddenLanguages: (doc.hiddenLanguages ?? []).filter(isLanguageCode),
    ...(doc.version > 0 && doc.definition ? { definition: doc.definition as SurveyDefinition } : {}),
    ...(doc.draft ? { draft: doc.draft as Draft } : {}),
    draftRevision: doc.draftRevision ?? 0,
    ...(doc.draftUpdatedAt ? { draftUpdatedAt: doc.draftUpdatedAt } : {}),
    analysis: (doc.analysis ?? {}) as AnalysisSettings,
  };
}

export async function getWorkspace(slug: string): Promise<Workspace> {
  const doc = await SurveyModel.findOne({ slug }).lean();
  if (!doc) throw new NotFoundError('surveyNotFound');
  return toWorkspace(doc);
}

/** What the editor works on: the draft, or a copy of the published definition when there is none. */
export function workingCopy(ws: Workspace): Draft {
  const source = ws.draft ?? ws.definition;
  if (!source) throw new NotFoundError('surveyNotFound');
  return structuredClone(source);
}

/**
 * Changes the draft (made from the published definition if there is none). The write only
 * succeeds if nobody saved the draft in between; otherwise the change is applied again to
 * their version, so two people editing different questions never undo each other.
 */
export async function updateDraft(slug: string, change: (draft: Draft, ws: Workspace) => Draft): Promise<Draft> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const ws = await getWorkspace(slug);
    const draft: Draft = { ...change(workingCopy(ws), ws), slug };
    const result = await SurveyModel.updateOne(
      { slug, draftRevision: ws.draftRevision },
      { $set: { draft, draftRevision: ws.draftRevision + 1, draftUpdatedAt: new Date() } },
    );
    if (result.matchedCount === 1) return draft;
  }
  throw new ConflictError('draftConflict');
}

/** Checks a slug for a new survey: the pattern, the reserved paths and surveys that exist. */
export async function slugProblems(raw: unknown, field = 'slug'): Promise<FieldProblem[]> {
  const slug = typeof raw === 'string' ? raw.trim() : '';
  if (!slug) return [{ field, code: 'slugRequired' }];
  if (slug.length < 2 || slug.length > 60 || !SLUG_PATTERN.test(slug)) return [{ field, code: 'slugFormat' }];
  if (RESERVED_SLUGS.includes(slug)) return [{ field, code: 'slugReserved' }];
  if (await SurveyModel.exists({ slug })) return [{ field, code: 'slugTaken', params: { slug } }];
  return [];
}

/** A new title in the default language; other languages' titles go, since they translated the old one. */
export function retitle(def: Draft, title: string): Draft {
  const lang = def.defaultLanguage as LanguageCode;
  if (!title || def.title[lang] === title) return def;
  return { ...def, title: withText({}, lang, title) };
}

/** Inserts a new survey document; a slug taken a moment ago by someone else is a field problem. */
export async function insertSurvey(doc: Record<string, unknown> & { slug: string }, field: string): Promise<void> {
  try {
    await SurveyModel.create(doc);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ValidationError([{ field, code: 'slugTaken', params: { slug: doc.slug } }], 'invalidSurvey');
    throw err;
  }
}

/** Stores `definition` as the next version and makes it current. */
export async function storeVersion(slug: string, fromVersion: number, definition: SurveyDefinition, hidden: string[]): Promise<number> {
  const version = fromVersion + 1;
  try {
    await SurveyVersionModel.create({ slug, version, definition });
  } catch (err) {
    // Someone else published this version a moment ago.
    if ((err as { code?: number }).code === 11000) throw new ConflictError('publishConflict');
    throw err;
  }
  const stillHidden = hidden.filter((l) => definition.languages.includes(l));
  await SurveyModel.updateOne({ slug, version: fromVersion }, { $set: { definition, version, hiddenLanguages: stillHidden } });
  return version;
}

/**
 * Publishes the draft: it is validated (every problem by path, InvalidDefinitionError, the
 * draft kept as it is), then becomes the next version. Responses keep the version they answered.
 */
export async function publishDraft(slug: string): Promise<number> {
  const ws = await getWorkspace(slug);
  if (!ws.draft) throw new ConflictError('noDraft');
  const definition = checkDefinition({ ...ws.draft, slug });
  const version = await storeVersion(slug, ws.version, definition, ws.hiddenLanguages);
  // Edits saved while publishing stay in the draft.
  await SurveyModel.updateOne({ slug, draftRevision: ws.draftRevision }, { $unset: { draft: 1, draftUpdatedAt: 1 } });
  return version;
}

export async function discardDraft(slug: string): Promise<void> {
  const ws = await getWorkspace(slug);
  if (!ws.definition) throw new ConflictError('neverPublished');
  await SurveyModel.updateOne({ slug }, { $unset: { draft: 1, draftUpdatedAt: 1 }, $inc: { draftRevision: 1 } });
}

/**
 * Saves the survey details to the draft. A language added here is hidden from respondents
 * until staff show it on its translation page, so a half-translated survey is never offered.
 */
export async function saveSettings(slug: string, change: (draft: Draft) => Draft): Promise<void> {
  let before: string[] = [];
  const draft = await updateDraft(slug, (d, ws) => {
    before = (ws.draft ?? ws.definition)?.languages ?? [];
    return change(d);
  });
  const added = draft.languages.filter((l) => !before.includes(l));
  if (added.length) {
    const ws = await getWorkspace(slug);
    await SurveyModel.updateOne({ slug }, { $set: { hiddenLanguages: [...new Set([...ws.hiddenLanguages, ...added])] } });
  }
}
