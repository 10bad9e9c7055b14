import { Router, type Response } from 'express';
import { changeOwnPassword, type SessionUser } from '../../surveys/user.service.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import type { Config } from '../config.js';
import { requireRole } from '../middleware/auth.js';
import { trustDevice } from '../middleware/device-trust.js';
import { startSession } from '../middleware/session.js';

function renderAccount(res: Response, status: number, state: { problems?: FieldProblem[]; changed?: boolean }): void {
  res.status(status).render('staff/account', { problems: state.problems ?? [], changed: state.changed ?? false });
}

/** Every signed-in person's own account: change the password. */
export function accountRouter(): Router {
  const router = Router();

  router.get('/staff/account', requireRole('board'), (req, res) => {
    renderAccount(res, 200, { changed: req.query.changed === '1' });
  });

  router.post('/staff/account/password', requireRole('board'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = res.locals.user as SessionUser;
    try {
      const sessionVersion = await changeOwnPassword(user.id, { current: body.current, password: body.password, confirm: body.confirm });
      // Other sessions end at their next request; this one continues under a fresh id.
      await startSession(req, { id: user.id, sessionVersion }, req.session.signedInAt);
      // The change ended every browser's trust; this one keeps it.
      trustDevice(res, req.app.locals.config as Config, { id: user.id, sessionVersion });
      res.redirect(303, '/staff/account?changed=1');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      renderAccount(res, 422, { problems: err.problems });
    }
  });

  return router;
}
