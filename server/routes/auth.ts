import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AuthError, verifyLogin } from '../../surveys/sign-in.service.js';
import { countUsers, createFirstAdmin } from '../../surveys/user.service.js';
import type { Config } from '../config.js';
import { ValidationError, type AppError } from '../errors.js';
import { renderLogin } from '../http/login-page.js';
import { safeNext } from '../middleware/auth.js';
import { trustDevice, trustedDevice } from '../middleware/device-trust.js';
import { classify } from '../middleware/errors.js';
import { startSession as signIn } from '../middleware/session.js';

/** Sign in, sign out, and the one-time setup page. */
export function authRouter(config: Config): Router {
  const router = Router();
  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: config.LOGIN_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => renderLogin(res, 429, { email: typeof req.body?.email === 'string' ? req.body.email : '', error: 'tooManyAttempts' }),
  });

  router.get('/login', async (req, res) => {
    if (res.locals.user) return res.redirect(303, safeNext(req.query.next));
    if ((await countUsers()) === 0) return res.redirect(303, '/setup');
    renderLogin(res, 200, { next: typeof req.query.next === 'string' ? req.query.next : '', signedOut: req.query.signedOut === '1' });
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    try {
      const user = await verifyLogin(body.email, body.password, { device: trustedDevice(req, config) });
      await signIn(req, user);
      trustDevice(res, config, user);
      res.redirect(303, safeNext(body.next));
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      renderLogin(res, 401, { email, next: typeof body.next === 'string' ? body.next : '', error: err.code });
    }
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(req.app.locals.config.TRUST_PROXY ? '__Host-cn.sid' : 'cn.sid', { path: '/' });
      res.redirect(303, '/login?signedOut=1');
    });
  });

  router.get('/setup', async (_req, res) => {
    if ((await countUsers()) > 0) return res.redirect(303, '/login');
    res.render('staff/setup', { values: {}, problems: [] });
  });

  router.post('/setup', async (req, res) => {
    if ((await countUsers()) > 0) return res.redirect(303, '/login');
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const user = await createFirstAdmin({ email: body.email, name: body.name, password: body.password, confirm: body.confirm });
      await signIn(req, user);
      trustDevice(res, config, user);
      res.redirect(303, '/staff');
    } catch (err) {
      const known: AppError | null = classify(err);
      if (err instanceof ValidationError) {
        return res.status(422).render('staff/setup', { values: { email: typeof body.email === 'string' ? body.email : '', name: typeof body.name === 'string' ? body.name : '' }, problems: err.problems });
      }
      if (known?.code === 'setupDone') return res.redirect(303, '/login');
      throw err;
    }
  });

  return router;
}
