import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MongoStore from 'connect-mongo';
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import mongoose from 'mongoose';
import type { Config } from '../config.js';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** When the person signed in (ms), for the absolute session limit. */
    signedInAt?: number;
    /** The user's `sessionVersion` at sign-in; a password change bumps it and ends older sessions. */
    sessionVersion?: number;
  }
}

/**
 * Starts a fresh session for the user: a new id (defeats session fixation, and after a password
 * change leaves no copy of the old id usable). `signedInAt` is kept from the earlier sign-in
 * when given, so a password change does not extend the absolute limit.
 */
export function startSession(req: Request, user: { id: string; sessionVersion: number }, signedInAt = Date.now()): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = user.id;
      req.session.signedInAt = signedInAt;
      req.session.sessionVersion = user.sessionVersion;
      req.session.save((e) => (e ? reject(e) : resolve()));
    });
  });
}

/** SESSION_SECRET, or a random secret kept in the data folder so restarts keep people signed in. */
export function sessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (config.NODE_ENV === 'test') return randomBytes(32).toString('hex');
  const file = path.join(config.DATA_DIR, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Sessions for staff and board only (respondents never get a session cookie), stored in
 * MongoDB. Expired sessions are removed on an interval rather than by a TTL index, which
 * FerretDB does not run.
 */
export function staffSessions(config: Config): RequestHandler {
  const secure = config.TRUST_PROXY;
  return session({
    name: secure ? '__Host-cn.sid' : 'cn.sid',
    secret: sessionSecret(config),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    store: MongoStore.create({
      // connect-mongo bundles its own driver typings; the client from Mongoose works the same.
      client: mongoose.connection.getClient() as unknown as Parameters<typeof MongoStore.create>[0]['client'],
      collectionName: 'sessions',
      autoRemove: 'interval',
      autoRemoveInterval: 10,
      stringify: false,
      ttl: config.SESSION_IDLE_MINUTES * 60,
    }),
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: config.SESSION_IDLE_MINUTES * 60 * 1000 },
  });
}
