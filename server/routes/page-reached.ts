import type { Request, Response } from 'express';
import { formPages } from '../../surveys/form-pages.js';
import { countFunnelStep } from '../../surveys/funnel/funnel.service.js';
import { getOpenSurveyCached as getOpenSurvey } from '../../surveys/survey-cache.js';
import { AppError } from '../errors.js';
import type { FormMode } from './survey-form.js';

/** The path a form in pages reports a page turn to (its own address plus this). */
export const PAGE_REACHED_PATH = '/reached';

/** A reported page number: 2 up to the survey's page count (page 1 is counted when the form is opened). */
export function readReachedPage(raw: unknown, pageCount: number): number | null {
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  return n >= 2 && n <= pageCount ? n : null;
}

/**
 * POST `page=k` from the form's script when Next shows page k (1-based) without a round trip:
 * one more "reached page k" for the completion funnel (surveys/funnel/CONTEXT.md). Only the page
 * number is sent: no answer, no submission id, nothing that links the count to a person or a
 * response. 204 with no body; a page the survey does not have is a 400.
 */
export function pageReached(mode: FormMode) {
  return async (req: Request, res: Response): Promise<void> => {
    // navigator.sendBeacon sends the URLSearchParams as a urlencoded form.
    if (req.is('application/x-www-form-urlencoded') === false) throw new AppError('unsupportedMediaType', 415);
    const survey = await getOpenSurvey(String(req.params.slug));
    const page = readReachedPage((req.body as Record<string, unknown> | undefined)?.page, formPages(survey.definition).length);
    if (page === null) throw new AppError('badRequest', 400);
    countFunnelStep({ survey: survey.slug, channel: mode.channel, kind: 'reached', page });
    res.set('Cache-Control', 'no-store').status(204).end();
  };
}
