// Mocha hooks shared by HTTP tests. The hooks fill the returned objects in, so read their
// fields inside tests, not when the file loads.
import type { Express } from 'express';
import type request from 'supertest';
import { buildTestApp } from './app.js';
import { csrfFrom, signedInAgent } from './auth.js';
import { clearSettingsCache } from '../../surveys/settings.service.js';
import { clearDatabase } from './db.js';

type Prepare = () => Promise<unknown> | void;

export interface TestApp {
  app: Express;
}

export interface StaffSession extends TestApp {
  /** Signed in as a staff member, fresh for each test. */
  staff: ReturnType<typeof request.agent>;
  /** A CSRF token from the staff agent's survey list. */
  token: string;
}

/**
 * One app for the file (with these settings over the test defaults); before each test an empty
 * database, then `prepare` (e.g. seed surveys).
 */
export function useTestApp(prepare: Prepare = () => undefined, env: Record<string, string> = {}): TestApp {
  const ctx = {} as TestApp;
  before(async () => {
    ({ app: ctx.app } = await buildTestApp(env));
  });
  beforeEach(async () => {
    await clearDatabase();
    await prepare();
  });
  return ctx;
}

/**
 * `useTestApp` for tests that save library settings: the settings kept in memory are forgotten
 * with the database before each test, and again after the file, so no later file sees them.
 */
export function useTestAppWithSettings(prepare: Prepare = () => undefined, env: Record<string, string> = {}): TestApp {
  const ctx = useTestApp(async () => {
    clearSettingsCache();
    await prepare();
  }, env);
  after(async () => {
    await clearDatabase();
    clearSettingsCache();
  });
  return ctx;
}

/** `useTestApp`, then before each test a staff member signed in, with a CSRF token. */
export function useStaffSession(prepare: Prepare = () => undefined): StaffSession {
  const session = useTestApp(prepare) as StaffSession;
  beforeEach(async () => {
    ({ agent: session.staff } = await signedInAgent(session.app, 'staff'));
    session.token = csrfFrom((await session.staff.get('/staff/surveys').expect(200)).text);
  });
  return session;
}
