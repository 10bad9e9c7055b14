import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { i18n as I18n } from 'i18next';
import { LANGUAGES } from '../surveys/languages.js';
import { onSurveyReadProblem } from '../surveys/survey-cache.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { FormPageCache } from './form-page-cache.js';
import { formShape } from './middleware/form-shape.js';
import { languageMiddleware } from './middleware/language.js';
import { branding } from './middleware/branding.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security.js';
import { fromRoot } from './paths.js';
import { healthRouter } from './routes/health.js';
import { kioskRouter } from './routes/kiosk.js';
import { languageRouter } from './routes/language.js';
import { respondRouter } from './routes/respond.js';
import { apiRouter } from './routes/api.js';
import { authRouter } from './routes/auth.js';
import { accountRouter } from './routes/account.js';
import { usersRouter } from './routes/users.js';
import { reportsRouter } from './routes/reports.js';
import { staffRouter } from './routes/staff.js';
import { builderRouter } from './routes/builder.js';
import { dataRouter } from './routes/data.js';
import { distributionRouter } from './routes/distribution.js';
import { partnersRouter } from './routes/partners.js';
import { settingsRouter } from './routes/settings.js';
import { queueRouter } from './routes/queue.js';
import { spamRouter } from './routes/spam.js';
import { loadUser } from './middleware/auth.js';
import { csrfProtection } from './middleware/csrf.js';
import { sessionsNeedHttps } from './middleware/proxy-https.js';
import { staffSessions } from './middleware/session.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  i18n: I18n;
}

/** Builds the Express app. It neither connects to the database nor listens: server/index.ts does. */
export function createApp({ config, logger, i18n }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY ? 1 : false);
  app.set('view engine', 'ejs');
  app.set('views', fromRoot('views'));
  if (config.NODE_ENV === 'production') app.enable('view cache');
  app.locals.config = config;
  app.locals.i18n = i18n;
  app.locals.languages = LANGUAGES;
  app.locals.libraryName = config.LIBRARY_NAME;
  app.locals.kioskIdleSeconds = config.KIOSK_IDLE_SECONDS;
  app.locals.kioskCountdownSeconds = config.KIOSK_COUNTDOWN_SECONDS;
  onSurveyReadProblem((err, what) => logger.warn({ err }, `${what}: database read failed; answered from the last copy in memory`));

  app.use(requestLog(logger));
  app.use(securityHeaders({ https: config.TRUST_PROXY }));
  app.use(compression());
  app.use('/public', express.static(fromRoot('public'), { maxAge: config.NODE_ENV === 'production' ? '7d' : 0, index: false }));
  app.use(healthRouter());
  app.use(cookieParser());
  app.use(languageMiddleware({ i18n, defaultLanguage: config.DEFAULT_LANGUAGE, secureCookies: config.TRUST_PROXY }));
  app.use(branding(config));
  app.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 400 }));
  app.use(express.json({ limit: '64kb' }));
  // Bodies and query strings are form fields (strings), never objects or `$` names (multipart
  // bodies are checked the same way once multer has read them).
  app.use(formShape);

  // One cache per app: its pages hold this app's configuration (kiosk countdown, defaults).
  const formPages = new FormPageCache(config.FORM_CACHE_SIZE);
  app.use(languageRouter(config.TRUST_PROXY));
  app.use(respondRouter(config, formPages));
  app.use(kioskRouter(config, formPages));

  // Staff, board and API pages: sessions, the signed-in user, CSRF on every form. Respondent
  // pages above never get a session cookie.
  const staffPaths = ['/login', '/logout', '/setup', '/staff', '/reports', '/api'];
  app.use(staffPaths, sessionsNeedHttps(config), staffSessions(config), loadUser(config), csrfProtection());
  app.use(authRouter(config));
  app.use(accountRouter(), usersRouter());
  app.use(builderRouter());
  app.use(distributionRouter());
  app.use(dataRouter());
  app.use(partnersRouter());
  app.use(settingsRouter());
  app.use(queueRouter());
  app.use(spamRouter());
  app.use(staffRouter());
  app.use(reportsRouter());
  app.use(apiRouter());

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
