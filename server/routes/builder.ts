import { Router, type NextFunction, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getSettings, type LibrarySettings } from '../../surveys/settings.service.js';
import { createSurvey, scratchSource, templateDraft, templateTitle } from '../../surveys/survey-create.service.js';
import { LANGUAGES, type LanguageCode } from '../../surveys/languages.js';
import { spamCounts } from '../../surveys/spam.service.js';
import { archivedCount, listSurveys } from '../../surveys/survey-list.service.js';
import { TEMPLATE_SLUGS } from '../../surveys/templates/templates.js';
import { BUILDER_PAGE, bodyOf, fieldErrors, formatDate, languageView, noticeFrom, surveyLinks, surveyPath } from '../builder-view.js';
import { AppError, ValidationError, type FieldProblem } from '../errors.js';
import { localize } from '../form-view.js';
import { hasRole, requireRole } from '../middleware/auth.js';
import { builderDefinitionRoutes } from './builder-definitions.js';
import { builderEditorRoutes } from './builder-editor.js';
import { builderLifecycleRoutes } from './builder-lifecycle.js';
import { builderPreviewRoutes } from './builder-preview.js';
import { builderQuestionRoutes } from './builder-questions.js';
import { builderTranslationRoutes } from './builder-translations.js';

async function renderList(req: Request, res: Response): Promise<void> {
  const lang = res.locals.lang as LanguageCode;
  const archived = req.query.archived === '1';
  const items = await listSurveys({ archived });
  const canEdit = hasRole(res.locals.user, 'staff');
  const spam = canEdit ? await spamCounts(items.map((s) => s.slug)) : new Map<string, number>();
  res.render('staff/builder/list', {
    ...BUILDER_PAGE,
    archived,
    archivedCount: archived ? 0 : await archivedCount(),
    canEdit,
    notice: noticeFrom(req),
    surveys: items.map((s) => ({
      ...s,
      title: localize(s.title, lang, s.defaultLanguage),
      closes: formatDate(s.closesAt, lang),
      languages: s.languages.map((l) => ({ ...l, ...languageView(l.code) })),
      spam: spam.get(s.slug) ?? 0,
      links: surveyLinks(s.slug),
    })),
  });
}

interface CreateState {
  source?: 'template' | 'blank';
  values?: Record<string, unknown>;
  problems?: FieldProblem[];
}

/**
 * The new-survey page. Both forms start in the library's default languages (settings): the
 * template's title in the language it will be written in, the empty survey's language boxes
 * ticked; a form sent back keeps what was typed in it.
 */
async function renderNew(res: Response, state: CreateState = {}): Promise<void> {
  const { errors, first } = fieldErrors(res.locals.t as TFunction, state.problems ?? []);
  const values = state.values ?? {};
  const defaults = ((res.locals.librarySettings as LibrarySettings | undefined) ?? (await getSettings())).defaultLanguages;
  const asked = state.source === 'blank' ? (Array.isArray(values.languages) ? values.languages : [values.languages]) : defaults;
  const template = templateDraft(TEMPLATE_SLUGS[0], defaults);
  res.status(state.problems?.length ? 422 : 200).render('staff/builder/new', {
    ...BUILDER_PAGE,
    source: state.source ?? '',
    values,
    errors,
    first,
    templates: TEMPLATE_SLUGS,
    templateTitle: templateTitle(TEMPLATE_SLUGS[0], defaults),
    templateLanguages: template.languages.map((code) => languageView(code as LanguageCode)),
    blankSource: scratchSource(defaults, res.locals.lang as LanguageCode),
    languages: LANGUAGES.map((l) => ({ ...languageView(l.code), checked: asked.includes(l.code) })),
  });
}

/**
 * The survey builder for staff: the survey list (board members may read it), creating,
 * editing and publishing surveys, translations, and definition files.
 */
export function builderRouter(): Router {
  const router = Router();

  router.get('/staff', requireRole('board'), (req, res) => {
    const query = req.originalUrl.indexOf('?');
    res.redirect(303, `/staff/surveys${query >= 0 ? req.originalUrl.slice(query) : ''}`);
  });

  router.get('/staff/surveys', requireRole('board'), renderList);

  router.get('/staff/surveys/new', requireRole('staff'), (_req, res) => renderNew(res));

  router.post('/staff/surveys/new', requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    const source = body.source === 'template' ? 'template' : 'blank';
    try {
      const slug = await createSurvey({ source, title: body.title, slug: body.slug, defaultLanguage: body.defaultLanguage, languages: body.languages, template: body.template });
      res.redirect(303, surveyPath(slug, '/edit?notice=created'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderNew(res, { source, values: body, problems: err.problems });
    }
  });

  router.use(builderEditorRoutes());
  router.use(builderQuestionRoutes());
  router.use(builderPreviewRoutes());
  router.use(builderLifecycleRoutes());
  router.use(builderTranslationRoutes());
  router.use(builderDefinitionRoutes());
  router.use(builderErrors);
  return router;
}

/** Builder errors with their own explanation (the rest go to the app's error handler). */
const BUILDER_ERRORS: readonly string[] = ['questionNotFound', 'languageNotInSurvey', 'noDraft', 'neverPublished', 'draftConflict', 'publishConflict'];

function builderErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!(err instanceof AppError) || !BUILDER_ERRORS.includes(err.code)) return next(err);
  const t = res.locals.t as TFunction;
  const slug = /^\/staff\/surveys\/([a-z0-9-]+)\//.exec(req.path)?.[1] ?? '';
  res.status(err.status).render('staff/builder/error', {
    ...BUILDER_PAGE,
    title: t(`builder:failures.${err.code}.title`),
    message: t(`builder:failures.${err.code}.message`),
    code: err.code,
    status: err.status,
    back: slug ? surveyPath(slug, '/edit') : '/staff/surveys',
  });
}
