import type { FieldProblem } from '../server/errors.js';
import { TAG_PATTERN } from './import-rows.js';
import type { LanguageCode } from './languages.js';
import { ResponseModel } from './response.model.js';
import { submitResponse } from './response.service.js';
import type { SurveySnapshot } from './survey.service.js';

/** The optional batch label typed on the data-entry screen (stored as the response's `tag`). */
export function readBatchLabel(raw: unknown): { tag?: string; problem?: FieldProblem } {
  if (raw === undefined || raw === null || raw === '') return {};
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return {};
  if (!TAG_PATTERN.test(text)) return { problem: { field: 'batch', code: 'invalidBatch' } };
  return { tag: text };
}

export interface PaperSaved {
  /** How many paper responses this batch (or, without a batch, the survey) now has: "saved response N". */
  number: number;
  duplicate: boolean;
}

/**
 * Stores one typed-in paper form through the same validation as every other channel, with
 * channel `paper`. The form's submission id makes a double submit store once.
 */
export async function savePaperResponse(input: { survey: SurveySnapshot; body: Record<string, unknown>; submissionId: string; contactKey: string; lang: LanguageCode; tag?: string }): Promise<PaperSaved> {
  const result = await submitResponse({ survey: input.survey, body: input.body, submissionId: input.submissionId, contactKey: input.contactKey, lang: input.lang, channel: 'paper', ...(input.tag ? { tag: input.tag } : {}) });
  const number = await ResponseModel.countDocuments({ surveySlug: input.survey.slug, channel: 'paper', ...(input.tag ? { tag: input.tag } : {}) });
  return { number, duplicate: result.duplicate };
}
