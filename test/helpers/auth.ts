import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../surveys/user.model.js';
import { createUser } from '../../surveys/user.service.js';

/** Long, random words, on no list: famous passphrases such as xkcd's "correct horse battery staple" are refused by the password rules. */
export const TEST_PASSWORD = 'plum Orbit 7 lantern quarry';

/** Reads the CSRF token from a page's forms. */
export function csrfFrom(html: string): string {
  const token = cheerio.load(html)('input[name=_csrf]').first().val();
  if (typeof token !== 'string' || !token) throw new Error('no CSRF token on the page');
  return token;
}

/** Creates a user with a role and returns an agent signed in as them (through the real sign-in form). */
export async function signedInAgent(app: Express, role: Role, email = `${role}@library.test`): Promise<{ agent: ReturnType<typeof request.agent>; csrf: () => Promise<string> }> {
  await createUser({ email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  const agent = request.agent(app);
  const login = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ _csrf: csrfFrom(login.text), email, password: TEST_PASSWORD }).expect(303);
  return { agent, csrf: async () => csrfFrom((await agent.get('/staff/surveys').expect(200)).text) };
}
