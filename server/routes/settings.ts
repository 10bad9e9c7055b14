import { createHash } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { qrSvg } from '../../surveys/distribution.service.js';
import { LANGUAGES } from '../../surveys/languages.js';
import { LOGO_MAX_BYTES } from '../../surveys/logo.js';
import { SETTINGS_LIMITS } from '../../surveys/settings.schema.js';
import {
  formValuesFrom,
  formValuesOf,
  getLogo,
  getSettings,
  problemParams,
  removeLogo,
  saveLogo,
  saveSettings,
  type SettingsFormValues,
} from '../../surveys/settings.service.js';
import type { Config } from '../config.js';
import { AppError, NotFoundError, ValidationError, type FieldProblem } from '../errors.js';
import { requireRole } from '../middleware/auth.js';
import { logoUrl, settingsDefaults } from '../middleware/branding.js';
import { requireUpload, singleUpload } from '../middleware/uploads.js';

/** Refusals of a logo upload, shown next to the logo field rather than as an error page. */
const LOGO_CODES = ['fileTooLarge', 'fileType', 'fileMissing', 'fileEncoding', 'tooManyFiles', 'logoSvgInvalid', 'logoSvgUnsafe', 'logoUnreadable', 'logoDimensions'];

/** Even a script that slipped past sanitizing cannot run, load anything, or be framed. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

interface PageState {
  status?: number;
  values?: SettingsFormValues;
  problems?: FieldProblem[];
  logoProblem?: FieldProblem;
}

async function renderSettings(req: Request, res: Response, state: PageState = {}): Promise<void> {
  const settings = await getSettings(settingsDefaults(req.app.locals.config as Config));
  res.status(state.status ?? 200).render('staff/settings/index', {
    values: state.values ?? formValuesOf(settings),
    problems: state.problems ?? [],
    logoProblem: state.logoProblem ?? null,
    currentLogo: logoUrl(settings),
    saved: state.status ? '' : typeof req.query.saved === 'string' ? req.query.saved : '',
    allLanguages: LANGUAGES,
    limits: { ...SETTINGS_LIMITS, logoKb: LOGO_MAX_BYTES / 1024 },
  });
}

/** An upload or logo refusal: the settings page again, with the reason beside the logo field. */
async function logoRefused(err: unknown, req: Request, res: Response, next: NextFunction): Promise<void> {
  if (!(err instanceof AppError) || !LOGO_CODES.includes(err.code)) return next(err);
  const problem = err instanceof ValidationError && err.problems[0] ? err.problems[0] : { field: 'logo', code: err.code, params: problemParams(err.code) };
  await renderSettings(req, res, { status: err.status, logoProblem: problem });
}

function sendImage(res: Response, body: Buffer | string, type: string, hash: string, cacheControl: string): void {
  res.set({
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': IMAGE_CSP,
    'Cache-Control': cacheControl,
    ETag: `"${hash}"`,
  });
  res.send(body);
}

/** Library branding and settings (/staff/settings), and the public logo (/branding/logo). */
export function settingsRouter(): Router {
  const router = Router();

  router.get('/staff/settings', requireRole('admin'), (req, res) => renderSettings(req, res));

  router.post('/staff/settings', requireRole('admin'), async (req, res) => {
    const values = formValuesFrom((req.body ?? {}) as Record<string, unknown>);
    try {
      await saveSettings(values);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return renderSettings(req, res, { status: 422, values, problems: err.problems });
    }
    res.redirect(303, '/staff/settings?saved=settings');
  });

  router.post(
    '/staff/settings/logo',
    requireRole('admin'),
    ...singleUpload({ field: 'logo', maxBytes: LOGO_MAX_BYTES, kinds: ['png', 'jpeg', 'svg'] }),
    async (req: Request, res: Response) => {
      await saveLogo(requireUpload(req));
      res.redirect(303, '/staff/settings?saved=logo#logo-section');
    },
    logoRefused,
  );

  router.post('/staff/settings/logo/delete', requireRole('admin'), async (_req, res) => {
    await removeLogo();
    res.redirect(303, '/staff/settings?saved=logoRemoved#logo-section');
  });

  router.get('/branding/logo', async (req, res) => {
    const logo = await getLogo();
    if (!logo) throw new NotFoundError('notFound');
    // A versioned address (?v=<hash>, as pages link it) never changes; the bare one is checked each time.
    const cache = req.query.v === logo.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
    sendImage(res, logo.data, logo.contentType, logo.hash, cache);
  });

  // A kiosk cannot follow a link off-site, so its thank-you page shows the "learn more" address as a QR code.
  router.get('/branding/learn-more.svg', async (req, res) => {
    const { thankYouUrl } = await getSettings();
    if (!thankYouUrl) throw new NotFoundError('notFound');
    sendImage(res, await qrSvg(thankYouUrl), 'image/svg+xml', createHash('sha256').update(thankYouUrl).digest('base64url').slice(0, 22), 'public, max-age=300');
  });

  return router;
}
