import { Router, type Request, type Response } from 'express';
import type { i18n as I18n, TFunction } from 'i18next';
import {
  checkPoster,
  normalizeTag,
  parseLinkTarget,
  POSTER_MAX_LANGUAGES,
  posterPath,
  posterValues,
  qrFileName,
  qrPng,
  qrSvg,
  targetPath,
  type LinkTarget,
  type PosterValues,
} from '../../surveys/distribution.service.js';
import { languageDir, languageName, type LanguageCode } from '../../surveys/languages.js';
import { getSettings, type LibrarySettings } from '../../surveys/settings.service.js';
import type { SurveySnapshot } from '../../surveys/survey.service.js';
import type { Config } from '../config.js';
import { BadRequestError, type FieldProblem } from '../errors.js';
import { linkCard, publicOrigin } from '../distribution-view.js';
import { localize } from '../form-view.js';
import { requireRole } from '../middleware/auth.js';
import { settingsDefaults } from '../middleware/branding.js';
import { areaErrors } from './local-errors.js';
import { loadSurvey } from './api.js';

/** This area's error codes (messages in `distribution:errors.<code>`). */
const CODES = ['invalidLinkKind', 'invalidTag', 'unknownLocation', 'tagWebOnly', 'locationKioskOnly', 'invalidPosterSize', 'invalidLanguages', 'tooManyLanguages', 'noLanguages'];

async function settingsFor(req: Request, res: Response): Promise<LibrarySettings> {
  return (res.locals.librarySettings as LibrarySettings | undefined) ?? getSettings(settingsDefaults(req.app.locals.config as Config));
}

const title = (survey: SurveySnapshot, lang: LanguageCode): string => localize(survey.definition.title, lang, survey.definition.defaultLanguage as LanguageCode);

interface ShareState {
  status?: number;
  tagValue?: string;
  tagProblem?: FieldProblem;
  poster?: PosterValues;
  posterProblems?: FieldProblem[];
}

async function renderShare(req: Request, res: Response, survey: SurveySnapshot, state: ShareState): Promise<void> {
  const settings = await settingsFor(req, res);
  const origin = publicOrigin(req);
  const tag = state.tagValue && !state.tagProblem ? normalizeTag(state.tagValue) : null;
  const languages = survey.definition.languages as LanguageCode[];
  const kiosks: LinkTarget[] = settings.kioskLocations.length ? settings.kioskLocations.map((location) => ({ kind: 'kiosk', location })) : [{ kind: 'kiosk', location: '' }];
  res.status(state.status ?? 200).render('staff/distribution/share', {
    survey,
    title: title(survey, res.locals.lang as LanguageCode),
    base: `/staff/surveys/${encodeURIComponent(survey.slug)}`,
    web: linkCard(origin, survey.slug, { kind: 'web', tag: '' }),
    shared: linkCard(origin, survey.slug, { kind: 'web', tag: '', shared: true }),
    tagged: tag ? linkCard(origin, survey.slug, { kind: 'web', tag }) : null,
    tagValue: state.tagValue ?? '',
    tagProblem: state.tagProblem ?? null,
    kiosks: kiosks.map((target) => linkCard(origin, survey.slug, target)),
    hasLocations: settings.kioskLocations.length > 0,
    surveyLanguages: languages.map((code) => ({ code, name: languageName(code) })),
    poster: state.poster ?? { size: 'letter', langs: languages.slice(0, POSTER_MAX_LANGUAGES), ch: tag ?? '' },
    posterProblems: state.posterProblems ?? [],
    maxLanguages: POSTER_MAX_LANGUAGES,
  });
}

/** GET /share: the page; its tag builder (`?ch=`) and poster form (`?poster=1`) are GET forms to it. */
async function share(req: Request, res: Response): Promise<void> {
  const survey = await loadSurvey(String(req.params.slug));
  if (req.query.poster === '1') {
    const values = posterValues(req.query);
    const { choice, problems } = checkPoster(values, survey.definition.languages as LanguageCode[]);
    if (!problems.length) return res.redirect(303, posterPath(survey.slug, choice));
    return renderShare(req, res, survey, { status: 422, poster: values, posterProblems: problems });
  }
  const typed = typeof req.query.ch === 'string' ? req.query.ch : '';
  if (typed.trim() && !normalizeTag(typed)) return renderShare(req, res, survey, { status: 422, tagValue: typed, tagProblem: { field: 'ch', code: 'invalidTag' } });
  await renderShare(req, res, survey, { tagValue: typed.trim() });
}

/** GET /qr.png and /qr.svg: a QR code for one of the survey's own links, chosen by validated parameters. */
function qr(format: 'png' | 'svg') {
  return async (req: Request, res: Response): Promise<void> => {
    const survey = await loadSurvey(String(req.params.slug));
    const { kioskLocations } = await settingsFor(req, res);
    const target = parseLinkTarget(req.query, kioskLocations);
    const url = `${publicOrigin(req)}${targetPath(survey.slug, target)}`;
    res.set({ 'Cache-Control': 'private, max-age=300', 'X-Content-Type-Options': 'nosniff' });
    if (req.query.download === '1') {
      res.attachment(qrFileName(survey.slug, target, target.kind === 'kiosk' ? kioskLocations.indexOf(target.location) : 0, format));
    }
    if (format === 'png') {
      res.type('image/png').send(await qrPng(url));
      return;
    }
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.type('image/svg+xml').send(await qrSvg(url));
  };
}

/** GET /poster: a printable poster (Letter or A4) in up to three of the survey's languages. */
async function poster(req: Request, res: Response): Promise<void> {
  const survey = await loadSurvey(String(req.params.slug));
  const { choice, problems } = checkPoster(posterValues(req.query), survey.definition.languages as LanguageCode[]);
  if (problems[0]) throw new BadRequestError(problems[0].code);
  const url = `${publicOrigin(req)}${targetPath(survey.slug, { kind: 'web', tag: choice.tag })}`;
  const i18n = req.app.locals.i18n as I18n;
  const t = res.locals.t as TFunction;
  res.render('staff/distribution/poster', {
    size: choice.size,
    title: title(survey, res.locals.lang as LanguageCode),
    blocks: choice.langs.map((code) => ({ code, dir: languageDir(code), title: title(survey, code), invite: i18n.getFixedT(code, 'distribution')('poster.invite'), note: i18n.getFixedT(code, 'distribution')('poster.note') })),
    url,
    qrSrc: `data:image/svg+xml;base64,${Buffer.from(await qrSvg(url)).toString('base64')}`,
    qrAlt: t('distribution:qr.alt', { url }),
    back: `/staff/surveys/${encodeURIComponent(survey.slug)}/share`,
  });
}

/** Links, kiosk links, QR codes and printable posters for a survey (staff; board members may view). */
export function distributionRouter(): Router {
  const router = Router();
  const base = '/staff/surveys/:slug';
  router.get(`${base}/share`, requireRole('board'), share);
  router.get(`${base}/qr.png`, requireRole('board'), qr('png'));
  router.get(`${base}/qr.svg`, requireRole('board'), qr('svg'));
  router.get(`${base}/poster`, requireRole('board'), poster);
  router.use(areaErrors('distribution', CODES));
  return router;
}
