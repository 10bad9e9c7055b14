import { hash, verify } from '@node-rs/argon2';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../server/errors.js';
import { clearThrottle, locksFor } from './login-throttle.service.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.js';
import { SetupLockModel, UserModel, ROLES, type Role } from './user.model.js';

export { MIN_PASSWORD_LENGTH };

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Sessions signed in under an older version (before a password change) are ended. */
  sessionVersion: number;
}

// argon2id with OWASP's recommended minimum (19 MiB, 2 iterations).
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

export function toSessionUser(doc: { _id: unknown; email: string; name: string; role: string; sessionVersion?: number | null }): SessionUser {
  return { id: String(doc._id), email: doc.email, name: doc.name, role: doc.role as Role, sessionVersion: doc.sessionVersion ?? 0 };
}

export interface NewUser {
  email: unknown;
  name: unknown;
  role: unknown;
  password: unknown;
  confirm?: unknown;
}

/** Checks a new account's fields; every problem is returned at once. */
export function checkNewUser(input: NewUser): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const email = typeof input.email === 'string' ? input.email.trim() : '';
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!EMAIL.test(email) || email.length > 254) problems.push({ field: 'email', code: 'email' });
  if (!name || name.length > 100) problems.push({ field: 'name', code: 'name' });
  if (typeof input.role !== 'string' || !(ROLES as readonly string[]).includes(input.role)) problems.push({ field: 'role', code: 'role' });
  const weak = passwordProblem(input.password, { email, name });
  if (weak) {
    problems.push(weak);
  } else if (input.confirm !== undefined && input.confirm !== input.password) {
    problems.push({ field: 'confirm', code: 'passwordMismatch' });
  }
  return problems;
}

export async function createUser(input: NewUser): Promise<SessionUser> {
  const problems = checkNewUser(input);
  if (problems.length) throw new ValidationError(problems);
  try {
    const doc = await UserModel.create({
      email: String(input.email).trim().toLowerCase(),
      name: String(input.name).trim(),
      role: input.role as Role,
      passwordHash: await hash(String(input.password), ARGON2),
      passwordChangedAt: new Date(),
    });
    return toSessionUser(doc);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ValidationError([{ field: 'email', code: 'emailTaken' }]);
    throw err;
  }
}

export async function countUsers(): Promise<number> {
  return UserModel.countDocuments();
}

/** First-run setup: creates the first admin only while no user exists, once. */
export async function createFirstAdmin(input: Omit<NewUser, 'role'>): Promise<SessionUser> {
  const problems = checkNewUser({ ...input, role: 'admin' });
  if (problems.length) throw new ValidationError(problems);
  if ((await countUsers()) > 0) throw new ConflictError('setupDone');
  try {
    await SetupLockModel.create({ _id: 'setup', at: new Date() });
  } catch {
    throw new ConflictError('setupDone');
  }
  return createUser({ ...input, role: 'admin' });
}

/** The current state of a signed-in user (role changes and disabling take effect at once). */
export async function findActiveUser(id: string): Promise<SessionUser | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const user = await UserModel.findById(id).lean();
  return user && !user.disabled ? toSessionUser(user) : null;
}

/** Every account, with its last sign-in and the sign-in lock in force, if any. */
export async function listUsers(now = new Date()): Promise<(SessionUser & { disabled: boolean; lastLoginAt?: Date; lockedUntil?: Date })[]> {
  const users = await UserModel.find().sort({ role: 1, name: 1 }).lean();
  const locks = await locksFor(users.map((u) => u.email), now);
  return users.map((u) => ({
    ...toSessionUser(u),
    disabled: Boolean(u.disabled),
    ...(u.lastLoginAt ? { lastLoginAt: u.lastLoginAt } : {}),
    ...(locks.has(u.email) ? { lockedUntil: locks.get(u.email)! } : {}),
  }));
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** The account with this id, or NotFoundError (for services of this folder). */
export async function findUser(id: string) {
  const user = OBJECT_ID.test(id) ? await UserModel.findById(id).lean() : null;
  if (!user) throw new NotFoundError('notFound');
  return user;
}

/**
 * Stores a new password hash, ends every session signed in before (sessionVersion + 1) and
 * every browser's trust, and lifts the sign-in lock (the old password no longer works anyway).
 */
async function storePassword(id: unknown, password: string, now: Date): Promise<number> {
  const updated = await UserModel.findOneAndUpdate(
    { _id: id },
    { $set: { passwordHash: await hash(password, ARGON2), passwordChangedAt: now }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (updated) await clearThrottle(updated.email);
  return updated?.sessionVersion ?? 0;
}

/**
 * A user changes their own password: the current one is required, the new one must pass the
 * password rules. Returns the new session version (the caller's session keeps working with it;
 * every other session of this user ends at its next request).
 */
export async function changeOwnPassword(id: string, input: { current: unknown; password: unknown; confirm: unknown }, now = new Date()): Promise<number> {
  const user = await findUser(id);
  const problems: FieldProblem[] = [];
  const current = typeof input.current === 'string' ? input.current : '';
  const currentOk = current.length > 0 && current.length <= MAX_PASSWORD_LENGTH && (await verify(user.passwordHash, current).catch(() => false));
  if (!currentOk) problems.push({ field: 'current', code: 'currentPassword' });
  const weak = passwordProblem(input.password, user);
  if (weak) problems.push(weak);
  else if (input.confirm !== input.password) problems.push({ field: 'confirm', code: 'passwordMismatch' });
  else if (currentOk && input.password === current) problems.push({ field: 'password', code: 'passwordSame' });
  if (problems.length) throw new ValidationError(problems);
  return storePassword(user._id, String(input.password), now);
}

/** An administrator sets a new password for someone else; all that person's sessions end. */
export async function resetPassword(id: string, password: unknown, now = new Date()): Promise<void> {
  const user = await findUser(id);
  const weak = passwordProblem(password, user);
  if (weak) throw new ValidationError([weak]);
  await storePassword(user._id, String(password), now);
}

/**
 * Disables or enables an account. An administrator cannot disable their own account, and the
 * last active administrator cannot be disabled (someone must be able to manage users).
 */
export async function setUserDisabled(actorId: string, id: string, disabled: boolean): Promise<void> {
  const user = await findUser(id);
  if (disabled && String(user._id) === actorId) throw new ValidationError([{ field: 'status', code: 'cannotDisableSelf' }]);
  if (disabled && user.role === 'admin' && !user.disabled) {
    // Queries are sanitized (no operators in filters), so count all active admins, this one included.
    const activeAdmins = await UserModel.countDocuments({ role: 'admin', disabled: false });
    if (activeAdmins <= 1) throw new ValidationError([{ field: 'status', code: 'lastAdmin' }]);
  }
  await UserModel.updateOne({ _id: user._id }, { $set: { disabled } });
  // Two administrators disabling each other at the same moment: undo rather than leave none.
  if (disabled && user.role === 'admin' && (await UserModel.countDocuments({ role: 'admin', disabled: false })) === 0) {
    await UserModel.updateOne({ _id: user._id }, { $set: { disabled: false } });
    throw new ValidationError([{ field: 'status', code: 'lastAdmin' }]);
  }
}
