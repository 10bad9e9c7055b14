import { Router, type NextFunction, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { getWorkspace } from '../../surveys/builder.service.js';
import { importDefinition } from '../../surveys/definition-upload.service.js';
import type { DefinitionProblem } from '../../surveys/definition.service.js';
import { definitionFile, parseDefinitionJson } from '../../surveys/definition-file.js';
import { InvalidDefinitionError } from '../../surveys/survey.service.js';
import { BUILDER_PAGE, bodyOf, definitionProblemViews, fieldErrors, surveyPath } from '../builder-view.js';
import { AppError, NotFoundError, ValidationError, type FieldProblem } from '../errors.js';
import { requireRole } from '../middleware/auth.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';
import { UPLOAD_ERROR_CODES } from './builder-uploads.js';

interface UploadState {
  status?: number;
  values?: Record<string, unknown>;
  problems?: FieldProblem[];
  definitionProblems?: DefinitionProblem[];
}

function renderUpload(res: Response, state: UploadState = {}): void {
  const { errors, first, summary } = fieldErrors(res.locals.t as TFunction, state.problems ?? []);
  res.status(state.status ?? 200).render('staff/builder/upload', {
    ...BUILDER_PAGE,
    values: state.values ?? { target: 'new' },
    errors,
    first,
    summary,
    definitionProblems: definitionProblemViews(res.locals.t as TFunction, '', [], state.definitionProblems ?? []),
  });
}

function uploadProblems(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!(err instanceof AppError) || !UPLOAD_ERROR_CODES.includes(err.code)) return next(err);
  renderUpload(res, { status: err.status, values: bodyOf(req), problems: [{ field: 'definition', code: err.code }] });
}

const MAX_DEFINITION_BYTES = 1024 * 1024;

/** Survey definitions as JSON files: download any survey; upload to create a survey, a draft or a version. */
export function builderDefinitionRoutes(): Router {
  const router = Router();

  router.get('/staff/surveys/:slug/definition.json', requireRole('staff'), async (req, res) => {
    const ws = await getWorkspace(String(req.params.slug));
    const wantDraft = req.query.draft === '1' || !ws.definition;
    const def = wantDraft ? ws.draft : ws.definition;
    if (!def) throw new NotFoundError('notFound');
    res.type('application/json; charset=utf-8');
    res.attachment(wantDraft ? `${ws.slug}-draft.json` : `${ws.slug}-v${ws.version}.json`);
    res.send(definitionFile(def));
  });

  router.get('/staff/surveys/upload', requireRole('staff'), (_req, res) => renderUpload(res));

  router.post(
    '/staff/surveys/upload',
    requireRole('staff'),
    ...singleUpload({ field: 'definition', maxBytes: MAX_DEFINITION_BYTES, kinds: ['json'] }),
    async (req: Request, res: Response) => {
      const body = bodyOf(req);
      const file = requireUpload(req);
      try {
        const slug = typeof body.slug === 'string' && body.slug.trim() ? body.slug.trim() : undefined;
        const result = await importDefinition(parseDefinitionJson(file.buffer), body.target, { ...(slug ? { slug } : {}), replaceDraft: body.replaceDraft === '1' });
        const notice = { new: 'uploadedNew', draft: 'uploadedDraft', version: 'uploadedVersion' }[result.target];
        res.redirect(303, surveyPath(result.slug, `/edit?notice=${notice}`));
      } catch (err) {
        if (err instanceof InvalidDefinitionError) return renderUpload(res, { status: 422, values: body, definitionProblems: err.definitionProblems });
        if (!(err instanceof ValidationError)) throw err;
        renderUpload(res, { status: 422, values: body, problems: err.problems });
      }
    },
    uploadProblems,
  );

  return router;
}
