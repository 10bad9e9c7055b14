import { Router, type Response } from 'express';
import { liftLock } from '../../surveys/sign-in.service.js';
import { createUser, listUsers, resetPassword, setUserDisabled, type SessionUser } from '../../surveys/user.service.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import { requireRole } from '../middleware/auth.js';

const DONE = ['created', 'reset', 'disabled', 'enabled', 'unlocked'] as const;

interface UsersState {
  status?: number;
  values?: Record<string, string>;
  problems?: FieldProblem[];
  /** Problems with one row's reset or status form, by user id. */
  rowProblems?: Record<string, FieldProblem[]>;
  done?: string;
}

async function renderUsers(res: Response, state: UsersState = {}): Promise<void> {
  res.status(state.status ?? 200).render('staff/users', {
    users: await listUsers(),
    values: state.values ?? {},
    problems: state.problems ?? [],
    rowProblems: state.rowProblems ?? {},
    done: state.done && (DONE as readonly string[]).includes(state.done) ? state.done : '',
  });
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * User accounts (administrators): add, reset a password, disable and enable, lift a sign-in
 * lock (after too many failed sign-ins with that email). The reset sets a
 * password the administrator types (shown to nobody else, passed on by them in person or by
 * phone); the person then changes it at /staff/account.
 */
export function usersRouter(): Router {
  const router = Router();

  router.get('/staff/users', requireRole('admin'), async (req, res) => {
    await renderUsers(res, { done: text(req.query.done) });
  });

  router.post('/staff/users', requireRole('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await createUser({ email: body.email, name: body.name, role: body.role, password: body.password });
      res.redirect(303, '/staff/users?done=created');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderUsers(res, { status: 422, values: { email: text(body.email), name: text(body.name), role: text(body.role) }, problems: err.problems });
    }
  });

  router.post('/staff/users/:id/password', requireRole('admin'), async (req, res) => {
    const id = String(req.params.id);
    try {
      await resetPassword(id, (req.body as Record<string, unknown> | undefined)?.password);
      res.redirect(303, '/staff/users?done=reset');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderUsers(res, { status: 422, rowProblems: { [id]: err.problems.map((p) => ({ ...p, field: `password-${id}` })) } });
    }
  });

  router.post('/staff/users/:id/status', requireRole('admin'), async (req, res) => {
    const id = String(req.params.id);
    const disabled = (req.body as Record<string, unknown> | undefined)?.disabled === '1';
    try {
      await setUserDisabled((res.locals.user as SessionUser).id, id, disabled);
      res.redirect(303, `/staff/users?done=${disabled ? 'disabled' : 'enabled'}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderUsers(res, { status: 422, rowProblems: { [id]: err.problems.map((p) => ({ ...p, field: `status-${id}` })) } });
    }
  });

  router.post('/staff/users/:id/unlock', requireRole('admin'), async (req, res) => {
    await liftLock(String(req.params.id));
    res.redirect(303, '/staff/users?done=unlocked');
  });

  return router;
}
