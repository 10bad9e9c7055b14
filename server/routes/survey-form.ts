import type { Request, Response } from 'express';
import type { TFunction } from 'i18next';
import { cleanText, parseAnswers } from '../../surveys/answers.js';
import { formPages, PAGE_FIELD, pageOfFirstProblem, problemsOnPage, REACHED_FIELD, readPageIndex, readStep, shownPages, stepFrom, STEP_FIELD, type Step } from '../../surveys/form-pages.js';
import { isLanguageCode, languageDir, type LanguageCode } from '../../surveys/languages.js';
import type { Channel } from '../../surveys/response.model.js';
import { formValues, isSubmissionId, newSubmissionId, submitResponse, SubmissionInvalidError } from '../../surveys/response.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import { getOpenSurveyCached as getOpenSurvey } from '../../surveys/survey-cache.js';
import { checkFormToken, FORM_TOKEN_FIELD, formToken, HONEYPOT_FIELD, spamReasons } from '../../surveys/spam-token.js';
import { countFunnelStep } from '../../surveys/funnel/funnel.service.js';
import type { Config } from '../config.js';
import { contactIdKey, formSecret } from '../form-secret.js';
import { AppError, ConflictError } from '../errors.js';
import type { PerRequestParts } from '../form-page-cache.js';
import { buildPagesView } from '../form-pages-view.js';
import { clientStrings } from '../form-client-strings.js';
import { buildFormView, surveyLanguage } from '../form-view.js';
import { classify } from '../middleware/errors.js';
import { PAGE_REACHED_PATH } from './page-reached.js';
import { useLanguage, LANG_COOKIE } from '../middleware/language.js';
import { clearFormStateIfAny, keepsStateInCookie, saveFormState, stepUrl } from './form-state-cookie.js';

/** Settings that differ between the personal-device form and the kiosk. */
export interface FormMode {
  channel: Extract<Channel, 'web' | 'kiosk'>;
  view: string;
  /** Where the form posts and where success redirects to. */
  formAction: (slug: string) => string;
  thanksUrl: (slug: string, lang: LanguageCode, location: string) => string;
}

const TAG = /^[a-z0-9][a-z0-9-]{0,39}$/i;

export function readTag(raw: unknown): string {
  return typeof raw === 'string' && TAG.test(raw) ? raw.toLowerCase() : '';
}

export function readLocation(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  return cleanText(raw, false).slice(0, 60) || fallback;
}

export function noStore(res: Response): void {
  // A shared kiosk or phone must never show someone's answers from the cache or the back button.
  res.set('Cache-Control', 'no-store, max-age=0');
}

export interface RenderState {
  values?: Record<string, string | string[]>;
  problems?: SubmissionInvalidError['problems'];
  submissionId?: string;
  banner?: string;
  status?: number;
  /** The page shown (0-based); the first when absent. */
  page?: number;
  /** The furthest page reached in this filling (a page kept in a state cookie: read from it). */
  reached?: number;
  /** The form's signed display time kept from earlier in this filling (checked again before use). */
  formToken?: string;
  /**
   * Answer a post with the page itself even on a kiosk or shared computer: over the rate limit,
   * where the page a redirect leads to would be refused by the same limit.
   */
  inPlace?: boolean;
}

/** The form's signed display time: kept from the post when valid, so a re-shown form is not "new". */
export function tokenFor(req: Request, slug: string, kept?: string): string {
  const secret = formSecret(req.app.locals.config as Config);
  const now = Date.now();
  const posted: unknown = kept ?? (req.method === 'POST' ? req.body?.[FORM_TOKEN_FIELD] : undefined);
  return checkFormToken(secret, slug, posted, now).status === 'ok' ? (posted as string) : formToken(secret, slug, now);
}

/**
 * Where the form says it is answered (kiosk location), the link's tag (`?ch=`), and whether staff
 * marked the link for shared computers (`?shared=1`: nothing of one person kept for the next).
 */
export function formPlace(req: Request): { location: string; tag: string; shared: boolean } {
  return {
    location: readLocation(req.body?.location ?? req.query.location, (req.app.locals.config as { KIOSK_LOCATION: string }).KIOSK_LOCATION),
    tag: readTag(req.body?.ch ?? req.query.ch),
    shared: (req.body?.shared ?? req.query.shared) === '1',
  };
}

/** The furthest page reached so far (the empty form, cached for GET: the first). */
function reachedSoFar(req: Request, survey: SurveySnapshot, state: RenderState): number {
  return Math.max(state.page ?? 0, state.reached ?? 0, req.method === 'POST' ? readPageIndex(req.body?.[REACHED_FIELD], formPages(survey.definition).length) : 0);
}

/** Everything the form view renders besides `res.locals` (language, branding). */
export function formLocals(req: Request, res: Response, mode: FormMode, survey: SurveySnapshot, lang: LanguageCode, state: RenderState, parts: PerRequestParts): Record<string, unknown> {
  const t = res.locals.t as TFunction;
  const view = buildFormView(survey, lang, t, state.values, state.problems);
  const place = formPlace(req);
  // Which pages are shown follows from the answers so far (the posted values parse as a form).
  const answers = state.values ? parseAnswers(survey.definition, state.values).answers : {};
  return {
    survey: view,
    paging: buildPagesView(survey.definition, lang, t, view.questions, answers, state.page ?? 0),
    pageField: PAGE_FIELD,
    reachedField: REACHED_FIELD,
    reached: reachedSoFar(req, survey, state),
    stepField: STEP_FIELD,
    // Answers kept on the person's own device as they type: never on a kiosk or a shared computer.
    drafts: mode.channel === 'web' && !place.shared,
    // A page that answers a post: its scripts turn the history entry into a plain one (no resubmission prompt).
    posted: req.method === 'POST',
    slug: survey.slug,
    // The mark stays in the address too, so a reload after a post is still the shared-computer form.
    action: mode.formAction(survey.slug) + (place.shared ? '?shared=1' : ''),
    // Where the script reports a page turn for the completion funnel (server/routes/page-reached.ts).
    funnelAction: mode.formAction(survey.slug) + PAGE_REACHED_PATH,
    submissionId: parts.submissionId,
    formToken: parts.formToken,
    tokenField: FORM_TOKEN_FIELD,
    honeypotField: HONEYPOT_FIELD,
    ...place,
    banner: state.banner ?? '',
    clientStrings: clientStrings(t, Math.max(...formPages(survey.definition).map((p) => p.questions.length)) + 1),
    dir: languageDir(lang),
  };
}

/** The form rendered afresh: after a post (with what was typed, errors or a banner). GET pages come from server/routes/form-page.ts. */
export function renderForm(req: Request, res: Response, mode: FormMode, survey: SurveySnapshot, lang: LanguageCode, state: RenderState = {}): void {
  useLanguage(req, res, lang);
  const parts = { submissionId: state.submissionId ?? newSubmissionId(), formToken: tokenFor(req, survey.slug, state.formToken) };
  if (req.method === 'POST' && !state.inPlace && redirectWithState(req, res, mode, survey, lang, state, parts)) return;
  // A page answering a post on the person's own device may stay in that browser's own cache
  // (never a shared one): Back from the thank-you page then shows it again instead of the
  // browser asking to send the form again, which without JavaScript it would (no-store pages
  // answering a post cannot be shown again without resending). A kiosk and a link for shared
  // computers keep nothing of one person for the next.
  if (req.method === 'POST' && mode.channel === 'web' && !formPlace(req).shared) res.set('Cache-Control', 'private, no-cache');
  else noStore(res);
  res.status(state.status ?? (state.problems?.length ? 422 : 200)).render(mode.view, formLocals(req, res, mode, survey, lang, state, parts));
}

/**
 * On a kiosk or a shared computer, a post is never answered with a page (Back from the thank-you
 * page would land on it and offer to resend the previous person's answers): the page's state goes
 * into a sealed cookie and the browser is sent to a plain address of the form that shows it
 * (server/routes/form-page.ts). False when the state is too long for the cookies: answered directly.
 */
function redirectWithState(req: Request, res: Response, mode: FormMode, survey: SurveySnapshot, lang: LanguageCode, state: RenderState, parts: PerRequestParts): boolean {
  const place = formPlace(req);
  if (!keepsStateInCookie(mode, place.shared)) return false;
  const page = state.page ?? 0;
  const kept = {
    slug: survey.slug, lang, page, reached: reachedSoFar(req, survey, state), submissionId: parts.submissionId, formToken: parts.formToken, values: state.values ?? {},
    ...(state.problems?.length ? { problems: state.problems } : {}),
    ...(state.banner ? { banner: state.banner } : {}),
    ...(state.status ? { status: state.status } : {}),
  };
  if (!saveFormState(req, res, mode, kept)) return false;
  noStore(res);
  res.redirect(303, stepUrl(mode, survey.slug, lang, place, page));
  return true;
}

/**
 * Back or Next on a form in pages, without JavaScript: nothing is stored; the answers so far
 * come back in the page (every question is in it, the other pages hidden). Next checks only
 * the questions of the page being left (422 on that page with its errors); Back checks nothing.
 * Pages whose questions are all hidden by earlier answers are skipped.
 */
function renderStep(req: Request, res: Response, mode: FormMode, survey: SurveySnapshot, lang: LanguageCode, body: Record<string, unknown>, step: Step, submissionId: string): void {
  const pages = formPages(survey.definition);
  const current = readPageIndex(body[PAGE_FIELD], pages.length);
  const parsed = parseAnswers(survey.definition, body);
  const values = formValues(survey.definition, body);
  if (step === 'next') {
    const problems = problemsOnPage(pages[current]!, parsed.problems);
    if (problems.length) return renderForm(req, res, mode, survey, lang, { values, problems, submissionId, page: current });
  }
  const target = stepFrom(pages, parsed.answers, current, step) ?? current;
  // Where people stop (dashboard): a page reached for the first time in this filling, counted with nothing but its number.
  if (step === 'next' && target > Math.max(current, readPageIndex(body[REACHED_FIELD], pages.length))) countFunnelStep({ survey: survey.slug, channel: mode.channel, kind: 'reached', page: target + 1 });
  renderForm(req, res, mode, survey, lang, { values, submissionId, page: target });
}

/**
 * POST: either a language switch (the form comes back in the new language with everything
 * kept) or a submission (stored, then 303 to the thank-you page; invalid: 422 with errors).
 */
export function submitForm(mode: FormMode) {
  return async (req: Request, res: Response): Promise<void> => {
    // The form posts urlencoded (the offline queue too); anything else is not a form at all.
    if (req.is(['application/x-www-form-urlencoded', 'application/json']) === false) throw new AppError('unsupportedMediaType', 415);
    const survey = await getOpenSurvey(String(req.params.slug));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const requested = isLanguageCode(body.lang) ? body.lang : (res.locals.lang as LanguageCode);
    const lang = surveyLanguage(survey.definition, requested);
    // Every form, kiosk and queued answer carries a well-formed id: it is what makes a retry
    // safe, so a submission without one (or with anything else in that field) is refused.
    const submissionId = isSubmissionId(body.sid) ? body.sid : undefined;
    useLanguage(req, res, lang);

    if (isLanguageCode(body.switchLang)) {
      const next = surveyLanguage(survey.definition, body.switchLang);
      if (mode.channel === 'web') res.cookie(LANG_COOKIE, next, { maxAge: 365 * 24 * 3600 * 1000, httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
      return renderForm(req, res, mode, survey, next, { values: formValues(survey.definition, body), submissionId: submissionId ?? newSubmissionId(), page: readPageIndex(body[PAGE_FIELD], formPages(survey.definition).length) });
    }
    const step = readStep(body[STEP_FIELD]);
    if (step) return renderStep(req, res, mode, survey, lang, body, step, submissionId ?? newSubmissionId());

    const location = mode.channel === 'kiosk' ? readLocation(body.location, (req.app.locals.config as { KIOSK_LOCATION: string }).KIOSK_LOCATION) : '';
    // The offline queue (public/js/offline-queue.js) posts the same form and asks for JSON.
    const json = req.accepts(['html', 'json']) === 'json';
    // Not stored: the form comes back filled in with a banner (JSON: the code and the message).
    const notStored = (status: number, code: string, sid: string): void => {
      const t = res.locals.t as TFunction;
      if (json) {
        if (status === 503) res.set('Retry-After', '30');
        return void res.status(status).json({ error: { code, message: t(`errors.${code}.message`) } });
      }
      renderForm(req, res, mode, survey, lang, { values: formValues(survey.definition, body), submissionId: sid, banner: t(`errors.${code}.message`), status });
    };
    // A new id with the answers kept: nothing was stored under the missing one.
    if (!submissionId) return notStored(400, 'submissionMissing', newSubmissionId());
    let duplicate = false;
    const config = req.app.locals.config as Config;
    // The least time a person needs follows from what this submission answers and the pages it went through.
    const answers = parseAnswers(survey.definition, body).answers;
    const pages = shownPages(formPages(survey.definition), answers).length;
    const reasons = spamReasons({ secret: formSecret(config), slug: survey.slug, body, now: Date.now(), minFillSeconds: config.MIN_FILL_SECONDS, answered: Object.keys(answers).length, pages });
    try {
      duplicate = (await submitResponse({ survey, body, submissionId, contactKey: contactIdKey(config), lang, channel: mode.channel, location, tag: readTag(body.ch), spamReasons: reasons })).duplicate;
      // Kept apart for review; the sender sees the normal thank-you either way.
      if (reasons.length) req.log?.info({ spam: reasons, survey: survey.slug }, 'submission kept apart as likely spam');
      // Where people stop (dashboard): one more sent, with nothing that links it to the response.
      else if (!duplicate) countFunnelStep({ survey: survey.slug, channel: mode.channel, kind: 'sent' });
    } catch (err) {
      if (err instanceof SubmissionInvalidError) {
        if (json) return void res.status(422).json({ error: { code: 'validation', problems: err.problems } });
        const page = pageOfFirstProblem(formPages(survey.definition), parseAnswers(survey.definition, body).answers, err.problems);
        return renderForm(req, res, mode, survey, lang, { values: err.values, problems: err.problems, submissionId, page });
      }
      const known: AppError | null = classify(err);
      // This form was already sent with other answers: it comes back filled in with the same id.
      if (known instanceof ConflictError) {
        req.log?.warn({ code: 'conflict' }, 'submission id reused with different answers');
        return notStored(409, 'conflict', submissionId);
      }
      if (known && known.status < 500) throw err;
      // Any other failure while storing (the database away, a connection reset, a malformed
      // reply, a bug) is one a retry can get past: 503, the form back as typed with the same id
      // (the id makes the retry safe), and the offline queue keeps the answer and retries.
      req.log?.error({ err }, 'storing a submission failed');
      return notStored(503, 'unavailable', submissionId);
    }
    // Nothing of this person stays for Back from the thank-you page (kiosk, shared computer).
    clearFormStateIfAny(req, res, mode, survey.slug);
    // A shared computer's thank-you page offers the next person the same shared-computer form.
    const thanks = mode.thanksUrl(survey.slug, lang, location) + (mode.channel === 'web' && formPlace(req).shared ? '&shared=1' : '');
    if (json) return void res.status(200).json({ status: duplicate ? 'duplicate' : 'stored', submissionId, redirect: thanks });
    res.redirect(303, thanks);
  };
}

/** Over the submission limit: the form comes back filled in with a banner (429), nothing lost. */
export function limitedSubmission(mode: FormMode) {
  return async (req: Request, res: Response): Promise<void> => {
    const survey = await getOpenSurvey(String(req.params.slug));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = surveyLanguage(survey.definition, isLanguageCode(body.lang) ? body.lang : (res.locals.lang as LanguageCode));
    useLanguage(req, res, lang);
    const t = res.locals.t as TFunction;
    if (req.accepts(['html', 'json']) === 'json') return void res.status(429).json({ error: { code: 'tooManyRequests', message: t('errors.tooManyRequests.message') } });
    const submissionId = isSubmissionId(body.sid) ? body.sid : newSubmissionId();
    renderForm(req, res, mode, survey, lang, { values: formValues(survey.definition, body), submissionId, banner: t('errors.tooManyRequests.message'), status: 429, inPlace: true });
  };
}
