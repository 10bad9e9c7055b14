import { verify } from '@node-rs/argon2';
import { AppError } from '../server/errors.js';
import { clearThrottle, readThrottle, recordFailure } from './login-throttle.service.js';
import { MAX_PASSWORD_LENGTH } from './password-policy.js';
import { UserModel } from './user.model.js';
import { findUser, toSessionUser, type SessionUser } from './user.service.js';

// Verified against when the email is unknown, so the answer takes as long either way.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Q9Ozs4IDY/fF5WJuHpjrpQ$nVhX8NCEuQ/kmkR5CTZIMsz7BeMWaaR5rxnN+k3pNqM';

export class AuthError extends AppError {
  constructor(code: 'invalidCredentials') {
    super(code, 401);
  }
}

/** A browser the account's owner signed in with (the device-trust cookie, already checked by the web layer). */
export interface TrustedDevice {
  userId: string;
  /** The account's `sessionVersion` when it was trusted: a password change ends the trust. */
  sessionVersion: number;
}

/** The password check, as an object so tests can see which hash each sign-in is verified against. */
export const passwordCheck = {
  verify: (hash: string, password: string): Promise<boolean> => verify(hash, password).catch(() => false),
};

/**
 * Checks an email and password, giving nothing away: an unknown address, a disabled account, a
 * wrong password and a locked address all fail with the same `invalidCredentials`, after the
 * same work (one argon2 verification, against a dummy hash when there is no account, and the
 * same failure count). After MAX_FAILED_LOGINS failures the address is locked for LOCK_MINUTES
 * for every browser but one its owner signed in with before (`device`), so a stranger can slow
 * an account's attackers down but cannot lock its owner out (OWASP's device cookies).
 */
export async function verifyLogin(email: unknown, password: unknown, options: { now?: Date; device?: TrustedDevice | null } = {}): Promise<SessionUser> {
  const now = options.now ?? new Date();
  const e = typeof email === 'string' && email.length <= 254 ? email.trim().toLowerCase() : '';
  const p = typeof password === 'string' && password.length <= MAX_PASSWORD_LENGTH ? password : '';
  const [found, throttle] = await Promise.all([e ? UserModel.findOne({ email: e }).lean() : null, readThrottle(e, now)]);
  const user = found && !found.disabled ? found : null;
  const matches = await passwordCheck.verify(user?.passwordHash ?? DUMMY_HASH, p || 'x');
  const ok = user !== null && p.length > 0 && matches;
  const trusted = user !== null && options.device?.userId === String(user._id) && options.device.sessionVersion === (user.sessionVersion ?? 0);
  // The right password refused by the lock counts as a failure too: otherwise its faster answer
  // would tell an attacker which guess was right.
  if (!ok || (throttle.lockedUntil && !trusted)) {
    await recordFailure(throttle, now);
    throw new AuthError('invalidCredentials');
  }
  // Signing in from the owner's browser while locked leaves the lock on for everyone else.
  await Promise.all([UserModel.updateOne({ _id: user._id }, { $set: { lastLoginAt: now } }), throttle.lockedUntil ? null : clearThrottle(e)]);
  return toSessionUser(user);
}

/** Lifts the sign-in lock of an account (administrators): every browser may try again. */
export async function liftLock(id: string): Promise<void> {
  const user = await findUser(id);
  await clearThrottle(user.email);
}

