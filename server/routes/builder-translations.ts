import { Router, type NextFunction, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getWorkspace, workingCopy } from '../../surveys/builder.service.js';
import type { LanguageCode } from '../../surveys/languages.js';
import { setLanguageHidden } from '../../surveys/survey-lifecycle.service.js';
import { exportTranslations, readTranslationFile, translationRows, TRANSLATION_FORMATS, type ImportCheck, type TranslationFormat } from '../../surveys/translation-files.js';
import { importTranslations, saveTranslations, translationTarget } from '../../surveys/translation.service.js';
import { missingStrings } from '../../surveys/translation.js';
import { BUILDER_PAGE, bodyOf, fieldErrors, languageView, noticeFrom, surveyPath } from '../builder-view.js';
import { AppError, ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { translateSections } from '../translate-view.js';
import { requireRole } from '../middleware/auth.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';
import { formFields, UPLOAD_ERROR_CODES } from './builder-uploads.js';

/** Translation fields are named `t:<key>`; keys are made of ids, dots and letters only. */
const FIELD_PREFIX = 't:';

interface ScreenState {
  status?: number;
  typed?: Record<string, string>;
  problems?: FieldProblem[];
  fileProblems?: FieldProblem[];
  report?: ImportCheck & { applied: number };
}

async function renderScreen(req: Request, res: Response, state: ScreenState = {}): Promise<void> {
  const t = res.locals.t as TFunction;
  const { ws, def, lang } = await translationTarget(String(req.params.slug), String(req.params.lang));
  const source = def.defaultLanguage as LanguageCode;
  const typed = state.typed ?? {};
  const { errors } = fieldErrors(t, state.problems ?? []);
  const rows = translationRows(def, lang).map((r, n) => {
    const value = typed[r.key] ?? r.translation;
    return { ...r, n, value, missing: !r.translation.trim(), inputId: `tr-${n}`, error: errors[r.key] ?? '' };
  });
  const missingOnly = missingOnlyOf(req);
  const sections = translateSections(t, def, rows, missingOnly);
  const parts = new Map(sections.flatMap((sec) => sec.rows.map((r) => [r.key, r.part] as const)));
  const firstError = rows.find((r) => r.error)?.inputId ?? '';
  const base = surveyPath(ws.slug, `/translations/${lang}`);
  const missing = rows.filter((r) => r.missing).length;
  res.status(state.status ?? 200).render('staff/builder/translate', {
    ...BUILDER_PAGE,
    styles: [...BUILDER_PAGE.styles, '/public/css/translate.css'],
    scripts: [...BUILDER_PAGE.scripts, '/public/js/translate.js'],
    slug: ws.slug,
    surveyTitle: localize(def.title, source, source),
    target: languageView(lang),
    source: languageView(source),
    sections,
    errorItems: rows.filter((r) => r.error).map((r) => ({ href: `#${r.inputId}`, text: t('builder:translate.errorItem', { part: parts.get(r.key) ?? r.key, source: shorten(r.source), error: r.error }) })),
    firstError,
    total: rows.length,
    missing,
    missingOnly,
    hidden: ws.hiddenLanguages.includes(lang),
    hasDraft: ws.draft !== undefined,
    notice: noticeFrom(req),
    report: state.report ?? null,
    file: fieldErrors(t, state.fileProblems ?? []),
    formats: TRANSLATION_FORMATS,
    links: { base, save: missingOnly ? `${base}?missing=1` : base, back: surveyPath(ws.slug, '/translations'), edit: surveyPath(ws.slug, '/edit'), publish: surveyPath(ws.slug, '/publish') },
  });
}

/** A source text cut to fit an error list line. */
const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57).trimEnd()}…` : text);

/** The "missing only" filter is a plain GET parameter (`?missing=1`), so it works without JavaScript. */
const missingOnlyOf = (req: Request): boolean => req.query.missing === '1';

/** Upload problems (too big, wrong type or encoding, no file) come back on the screen, next to the file field. */
function uploadProblems(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!(err instanceof AppError) || !UPLOAD_ERROR_CODES.includes(err.code)) return next(err);
  renderScreen(req, res, { status: err.status, fileProblems: [{ field: 'file', code: err.code }] }).catch(next);
}

export function builderTranslationRoutes(): Router {
  const router = Router();
  const base = '/staff/surveys/:slug/translations';

  router.get(base, requireRole('staff'), async (req, res) => {
    const ws = await getWorkspace(String(req.params.slug));
    const def = workingCopy(ws);
    const source = def.defaultLanguage as LanguageCode;
    res.render('staff/builder/translations', {
      ...BUILDER_PAGE,
      slug: ws.slug,
      surveyTitle: localize(def.title, source, source),
      source: languageView(source),
      total: translationRows(def, source).length,
      languages: (def.languages as LanguageCode[])
        .filter((l) => l !== source)
        .map((l) => ({ ...languageView(l), missing: missingStrings(def, l).length, missingHref: surveyPath(ws.slug, `/translations/${l}?missing=1`), hidden: ws.hiddenLanguages.includes(l), href: surveyPath(ws.slug, `/translations/${l}`) })),
      links: { edit: surveyPath(ws.slug, '/edit#details') },
    });
  });

  router.get(`${base}/:lang`, requireRole('staff'), (req, res) => renderScreen(req, res));

  router.post(`${base}/:lang`, requireRole('staff'), ...formFields(), async (req, res) => {
    const { lang, ws } = await translationTarget(String(req.params.slug), String(req.params.lang));
    const body = bodyOf(req);
    const typed: Record<string, string> = {};
    for (const [name, value] of Object.entries(body)) if (name.startsWith(FIELD_PREFIX) && typeof value === 'string') typed[name.slice(FIELD_PREFIX.length)] = value;
    try {
      await saveTranslations(ws.slug, lang, typed);
      res.redirect(303, surveyPath(ws.slug, `/translations/${lang}?notice=translationsSaved${missingOnlyOf(req) ? '&missing=1' : ''}`));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderScreen(req, res, { status: 422, typed, problems: err.problems });
    }
  });

  router.get(`${base}/:lang/export`, requireRole('staff'), async (req, res) => {
    const { def, lang } = await translationTarget(String(req.params.slug), String(req.params.lang));
    const format = (TRANSLATION_FORMATS as readonly string[]).includes(String(req.query.format)) ? (req.query.format as TranslationFormat) : 'json';
    const file = await exportTranslations(def, lang, format);
    res.type(file.contentType);
    res.attachment(file.filename);
    res.send(file.body);
  });

  router.post(
    `${base}/:lang/import`,
    requireRole('staff'),
    ...singleUpload({ field: 'file', maxBytes: 1024 * 1024, kinds: ['json', 'csv', 'xlsx'] }),
    async (req: Request, res: Response) => {
      const { def, lang, ws } = await translationTarget(String(req.params.slug), String(req.params.lang));
      const file = requireUpload(req);
      try {
        const report = await importTranslations(ws.slug, lang, def, await readTranslationFile(file.buffer, file.kind));
        await renderScreen(req, res, { status: report.applied ? 200 : 422, report });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        await renderScreen(req, res, { status: 422, fileProblems: err.problems });
      }
    },
    uploadProblems,
  );

  router.post(`${base}/:lang/visibility`, requireRole('staff'), async (req, res) => {
    const { lang, ws } = await translationTarget(String(req.params.slug), String(req.params.lang));
    const hidden = bodyOf(req).hidden === '1';
    await setLanguageHidden(ws.slug, lang, hidden);
    res.redirect(303, surveyPath(ws.slug, `/translations/${lang}?notice=${hidden ? 'languageHidden' : 'languageShown'}`));
  });

  return router;
}
