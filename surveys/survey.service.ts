import { NotFoundError, GoneError } from '../server/errors.js';
import { getCatalog } from './catalog.service.js';
import type { SurveyDefinition } from './definition.schema.js';
import { validateDefinition, type DefinitionProblem } from './definition.service.js';
import type { LanguageCode } from './languages.js';
import { SurveyModel, SurveyVersionModel } from './survey.model.js';
import { loadTemplate, TEMPLATE_SLUGS } from './templates/templates.js';
import { ValidationError } from '../server/errors.js';

/** Population shares for one demographic question, e.g. census age bands (shares sum to 1). */
export interface PopulationShares {
  question: string;
  shares: Record<string, number>;
}

export interface AnalysisSettings {
  weights?: { reach: number; priority: number; intensity: number };
  population?: PopulationShares[];
}

export interface SurveySnapshot {
  slug: string;
  analysis: AnalysisSettings;
  status: 'open' | 'closed';
  version: number;
  definition: SurveyDefinition;
  closesAt?: Date;
  /** Languages staff keep from respondents for now (e.g. until their translation is complete). */
  hiddenLanguages?: LanguageCode[];
}

export class InvalidDefinitionError extends ValidationError {
  readonly definitionProblems: DefinitionProblem[];
  constructor(problems: DefinitionProblem[]) {
    super(problems.map((p) => ({ field: p.path, code: `definition.${p.code}`, ...(p.params ? { params: p.params } : {}) })), 'invalidDefinition');
    this.definitionProblems = problems;
  }
}

/**
 * Hidden languages of each definition read from the database. Respondent routes hand only the
 * definition to the language helpers (`surveyLanguage`, `surveyLanguageChoices`), so the
 * snapshot records its hidden languages against the definition object itself.
 */
const hiddenByDefinition = new WeakMap<object, readonly string[]>();

/** The languages respondents are offered: the survey's languages minus hidden ones (never the default). */
export function respondentLanguages(def: SurveyDefinition): LanguageCode[] {
  const hidden = hiddenByDefinition.get(def) ?? [];
  return (def.languages as LanguageCode[]).filter((l) => l === def.defaultLanguage || !hidden.includes(l));
}

type StoredSurvey = { slug: string; status?: string | null; version: number; definition?: unknown; closesAt?: Date | null; analysis?: unknown; hiddenLanguages?: string[] | null };

function toSnapshot(doc: StoredSurvey): SurveySnapshot {
  // Archived surveys are closed to respondents too.
  const closed = doc.status === 'closed' || doc.status === 'archived' || (doc.closesAt instanceof Date && doc.closesAt.getTime() <= Date.now());
  const definition = doc.definition as SurveyDefinition;
  const hidden = (doc.hiddenLanguages ?? []) as LanguageCode[];
  hiddenByDefinition.set(definition, hidden);
  return {
    slug: doc.slug,
    analysis: (doc.analysis ?? {}) as AnalysisSettings,
    status: closed ? 'closed' : 'open',
    version: doc.version,
    definition,
    ...(doc.closesAt ? { closesAt: doc.closesAt } : {}),
    ...(hidden.length ? { hiddenLanguages: hidden } : {}),
  };
}

/** A survey made in the builder has no published definition until its first publish. */
const isPublished = (doc: StoredSurvey): boolean => doc.version > 0 && doc.definition != null;

/** Validates a definition (schema and catalog) or throws InvalidDefinitionError with every problem. */
export function checkDefinition(input: unknown): SurveyDefinition {
  const result = validateDefinition(input, getCatalog().topicIds);
  if (!result.ok) throw new InvalidDefinitionError(result.problems);
  return result.definition;
}

/** The published survey (null when unknown or not published yet). The builder's draft is not read. */
export async function findSurvey(slug: string): Promise<SurveySnapshot | null> {
  const doc = await SurveyModel.findOne({ slug }, { draft: 0 }).lean();
  return doc && isPublished(doc) ? toSnapshot(doc) : null;
}

/** The survey a respondent may answer: 404 when unknown, 410 when closed. */
export async function getOpenSurvey(slug: string): Promise<SurveySnapshot> {
  const survey = await findSurvey(slug);
  if (!survey) throw new NotFoundError('surveyNotFound');
  if (survey.status === 'closed') throw new GoneError('surveyClosed');
  return survey;
}

export async function listOpenSurveys(): Promise<SurveySnapshot[]> {
  const docs = await SurveyModel.find({ status: 'open' }, { draft: 0 }).sort({ createdAt: 1 }).lean();
  return docs.filter(isPublished).map(toSnapshot).filter((s) => s.status === 'open');
}

/** Creates a survey at version 1, or publishes a new version of an existing one. */
export async function publishSurvey(input: unknown): Promise<SurveySnapshot> {
  const definition = checkDefinition(input);
  const existing = await SurveyModel.findOne({ slug: definition.slug }, { version: 1 }).lean();
  const version = existing ? existing.version + 1 : 1;
  await SurveyVersionModel.create({ slug: definition.slug, version, definition });
  if (existing) {
    await SurveyModel.updateOne({ slug: definition.slug }, { $set: { definition, version } });
  } else {
    await SurveyModel.create({ slug: definition.slug, status: 'open', version, definition });
  }
  return (await findSurvey(definition.slug))!;
}

export async function setSurveyStatus(slug: string, status: 'open' | 'closed'): Promise<void> {
  const result = await SurveyModel.updateOne({ slug }, { $set: { status } });
  if (result.matchedCount === 0) throw new NotFoundError('surveyNotFound');
}

/** Seeds the built-in templates on first start; an existing survey is never overwritten. */
export async function seedBuiltInSurveys(): Promise<string[]> {
  const created: string[] = [];
  for (const name of TEMPLATE_SLUGS) {
    if (await SurveyModel.exists({ slug: name })) continue;
    try {
      await publishSurvey(loadTemplate(name, getCatalog().topicIds));
      created.push(name);
    } catch (err) {
      // Two instances starting at once: the other one seeded it.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  return created;
}

export async function getSurveyVersion(slug: string, version: number): Promise<SurveyDefinition | null> {
  const doc = await SurveyVersionModel.findOne({ slug, version }).lean();
  return doc ? (doc.definition as SurveyDefinition) : null;
}
