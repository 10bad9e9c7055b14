import mongoose from 'mongoose';
import { toWorkspace } from './builder.service.js';
import type { LanguageCode } from './languages.js';
import { SurveyModel } from './survey.model.js';
import { copyTotals } from './insights/analytics-copy.js';
import { missingStrings } from './translation.js';
import type { LocalizedText } from './definition.schema.js';

export type ListState = 'open' | 'closed' | 'archived' | 'unpublished';

export interface SurveyListItem {
  slug: string;
  title: LocalizedText;
  defaultLanguage: LanguageCode;
  state: ListState;
  /** The closing date, when one is set (past or future). */
  closesAt?: Date;
  /** Open, but its closing date has passed. */
  closedByDate: boolean;
  version: number;
  hasDraft: boolean;
  responses: number;
  languages: { code: LanguageCode; missing: number; hidden: boolean; isDefault: boolean }[];
}

/**
 * The surveys for the staff list, oldest first: status, responses (from the analytical copy, so
 * no response is read) and each language's missing texts in the working copy (draft or current).
 */
export async function listSurveys(options: { archived: boolean; now?: Date }): Promise<SurveyListItem[]> {
  const now = options.now ?? new Date();
  const docs = await SurveyModel.find(options.archived ? { status: 'archived' } : { status: mongoose.trusted({ $ne: 'archived' }) }).sort({ createdAt: 1 }).lean();
  const responses = await copyTotals(docs.map((d) => d.slug));
  // A survey being created from an upload has neither for a moment; it shows up once stored.
  return docs.flatMap((doc) => {
    const ws = toWorkspace(doc);
    const def = ws.draft ?? ws.definition;
    if (!def) return [];
    const closedByDate = ws.status === 'open' && ws.closesAt !== undefined && ws.closesAt.getTime() <= now.getTime();
    const state: ListState = ws.status === 'archived' ? 'archived' : !ws.definition ? 'unpublished' : ws.status === 'open' && !closedByDate ? 'open' : 'closed';
    const item: SurveyListItem = {
      slug: ws.slug,
      title: def.title,
      defaultLanguage: def.defaultLanguage as LanguageCode,
      state,
      ...(ws.closesAt ? { closesAt: ws.closesAt } : {}),
      closedByDate,
      version: ws.version,
      hasDraft: ws.draft !== undefined && ws.definition !== undefined,
      responses: responses.get(ws.slug) ?? 0,
      languages: (def.languages as LanguageCode[]).map((code) => ({ code, missing: missingStrings(def, code).length, hidden: ws.hiddenLanguages.includes(code), isDefault: code === def.defaultLanguage })),
    };
    return [item];
  });
}

export async function archivedCount(): Promise<number> {
  return SurveyModel.countDocuments({ status: 'archived' });
}
