import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { archiveSurvey } from '../../surveys/survey-lifecycle.service.js';
import { addProgram, getPartner } from '../../surveys/partner.service.js';
import { UserModel, type Role } from '../../surveys/user.model.js';
import { createUser } from '../../surveys/user.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { concretePath, listRoutes } from '../helpers/routes.js';
import { buildSurvey } from '../fixtures/builders.js';
import { buildPartner } from '../fixtures/partners.js';

/** The session cookie a response sets (sign-in also sets the device cookie). */
const cookieOf = (res: request.Response): string => String(((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('cn.sid=')) ?? '').split(';')[0]!;

/** Who sends the request: nobody, each role, and a staff member whose account was disabled after signing in. */
type Who = 'anonymous' | Role | 'disabled';
const WHO: readonly Who[] = ['anonymous', 'board', 'staff', 'admin', 'disabled'];
const LEVEL: Record<Role, number> = { board: 1, staff: 2, admin: 3 };

interface Entry {
  /** Who may use the route: everyone, or this role and above. */
  min: 'public' | Role;
  /** The status for someone allowed, sending the test parameters and an empty form. */
  ok: number;
  /** A different status for some senders (e.g. /login sends signed-in people on). */
  okFor?: Partial<Record<Who, number>>;
  /** Parameter values of this route, where the shared ones would not do (a thing it deletes, say). */
  params?: Partial<Record<ParamName, string>>;
  query?: string;
  /** The route takes multipart/form-data (uploads, the translation form). */
  multipart?: true;
  /** It ends the session: run after the others. */
  last?: true;
}

type ParamName = 'slug' | 'id' | 'qid' | 'lang' | 'batch' | 'importId' | 'programId';

/**
 * Every route the app has, with who may use it. A route added to the app without a line here
 * fails the first test; a line without a route fails it too.
 */
const ROUTES: Record<string, Entry> = {
  // Public: respondents, kiosks, health, branding, sign-in.
  'GET /healthz': { min: 'public', ok: 200 },
  'GET /': { min: 'public', ok: 200 },
  'GET /s/:slug': { min: 'public', ok: 200 },
  'POST /s/:slug': { min: 'public', ok: 400 }, // a form without its submission id
  'POST /s/:slug/reached': { min: 'public', ok: 400 }, // a page reached (the funnel), without its number
  'GET /s/:slug/thanks': { min: 'public', ok: 200 },
  'GET /kiosk/:slug': { min: 'public', ok: 200 },
  'GET /kiosk/:slug/answer': { min: 'public', ok: 200 },
  'POST /kiosk/:slug/answer': { min: 'public', ok: 303 }, // without its submission id: the form shown again (a kiosk redirects to it)
  'POST /kiosk/:slug/answer/reached': { min: 'public', ok: 400 },
  'GET /kiosk/:slug/thanks': { min: 'public', ok: 200 },
  'GET /branding/logo': { min: 'public', ok: 404 },
  'GET /branding/learn-more.svg': { min: 'public', ok: 404 },
  'GET /login': { min: 'public', ok: 200, okFor: { board: 303, staff: 303, admin: 303 } },
  'POST /login': { min: 'public', ok: 401 },
  'POST /logout': { min: 'public', ok: 303, last: true },
  'GET /language/:lang': { min: 'public', ok: 303 }, // the language switcher: remembers the pick, back to the page
  'GET /setup': { min: 'public', ok: 303 },
  'POST /setup': { min: 'public', ok: 303 },

  // Board members and up: read-only dashboards, reports, sharing, partners, their own account.
  'GET /staff': { min: 'board', ok: 303 },
  'GET /staff/account': { min: 'board', ok: 200 },
  'POST /staff/account/password': { min: 'board', ok: 422 },
  'GET /staff/surveys': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug/open-text': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug/share': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug/qr.png': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug/qr.svg': { min: 'board', ok: 200 },
  'GET /staff/surveys/:slug/poster': { min: 'board', ok: 200, query: 'size=letter&langs=en' },
  'GET /reports/:slug/summary': { min: 'board', ok: 200 },
  'GET /reports/:slug/summary.pdf': { min: 'board', ok: 200 },
  'GET /api/surveys/:slug/topics': { min: 'board', ok: 200 },
  'GET /api/surveys/:slug/funnel': { min: 'board', ok: 200 },
  'GET /api/surveys/:slug/summary': { min: 'board', ok: 200 },
  'GET /api/surveys/:slug/segments/compare': { min: 'board', ok: 200, query: 'q.children=yes' },
  'GET /api/surveys/:slug/open-text': { min: 'board', ok: 200 },
  'GET /staff/partners': { min: 'board', ok: 200 },
  'GET /staff/partners/export': { min: 'board', ok: 200 },
  'GET /staff/partners/:id': { min: 'board', ok: 200 },

  // Staff and up: building surveys, data, partners' changes, spam review, the offline queue.
  'GET /staff/surveys/new': { min: 'staff', ok: 200 },
  'POST /staff/surveys/new': { min: 'staff', ok: 422 },
  'GET /staff/surveys/:slug/edit': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/edit/settings': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/edit/questions': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/publish': { min: 'staff', ok: 303 },
  'POST /staff/surveys/:slug/discard': { min: 'staff', ok: 303 },
  'GET /staff/surveys/:slug/edit/questions/:qid': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/edit/questions/:qid': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/edit/questions/:qid/move': { min: 'staff', ok: 303 },
  // An empty form has no "move" value: 400 for those allowed, after the role check.
  'POST /staff/surveys/:slug/edit/questions/:qid/options/move': { min: 'staff', ok: 400 },
  'POST /staff/surveys/:slug/edit/questions/:qid/delete': { min: 'staff', ok: 303, params: { slug: 'spare-survey', qid: 'rating' } },
  // An empty form has no question text: 422 for those allowed (the editor back with the problem).
  'POST /staff/surveys/:slug/edit/questions/:qid/preview': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/edit/questions/:qid/inline': { min: 'staff', ok: 422 },
  'GET /staff/surveys/:slug/preview': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/status': { min: 'staff', ok: 422 },
  'GET /staff/surveys/:slug/duplicate': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/duplicate': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/archive': { min: 'staff', ok: 303, params: { slug: 'spare-survey' } },
  'POST /staff/surveys/:slug/restore': { min: 'staff', ok: 303, params: { slug: 'archived-survey' } },
  'GET /staff/surveys/:slug/delete': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/delete': { min: 'staff', ok: 422 },
  'GET /staff/surveys/:slug/translations': { min: 'staff', ok: 200 },
  'GET /staff/surveys/:slug/translations/:lang': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/translations/:lang': { min: 'staff', ok: 303, multipart: true },
  'GET /staff/surveys/:slug/translations/:lang/export': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/translations/:lang/import': { min: 'staff', ok: 422, multipart: true },
  'POST /staff/surveys/:slug/translations/:lang/visibility': { min: 'staff', ok: 303 },
  'GET /staff/surveys/:slug/definition.json': { min: 'staff', ok: 200 },
  'GET /staff/surveys/upload': { min: 'staff', ok: 200 },
  'POST /staff/surveys/upload': { min: 'staff', ok: 422, multipart: true },
  'GET /staff/surveys/:slug/paper': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/paper': { min: 'staff', ok: 422 },
  'GET /staff/surveys/:slug/paper/print': { min: 'staff', ok: 200 },
  'GET /staff/surveys/:slug/import': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/import': { min: 'staff', ok: 422, multipart: true },
  'GET /staff/surveys/:slug/import/:batch': { min: 'staff', ok: 410 },
  'POST /staff/surveys/:slug/import/:batch': { min: 'staff', ok: 410 },
  'GET /staff/surveys/:slug/data': { min: 'staff', ok: 200 },
  'GET /staff/surveys/:slug/export': { min: 'staff', ok: 200 },
  'GET /staff/surveys/:slug/spam': { min: 'staff', ok: 200 },
  'POST /staff/surveys/:slug/spam/:id/release': { min: 'staff', ok: 303, params: { id: 'spam-release' } },
  'POST /staff/surveys/:slug/spam/:id/delete': { min: 'staff', ok: 303, params: { id: 'spam-delete' } },
  'POST /staff/surveys/:slug/weights': { min: 'staff', ok: 422 },
  'POST /staff/surveys/:slug/population': { min: 'staff', ok: 303 },
  'GET /staff/partners/import': { min: 'staff', ok: 200 },
  'POST /staff/partners/import': { min: 'staff', ok: 422, multipart: true },
  'POST /staff/partners/import/:importId': { min: 'staff', ok: 404 },
  'GET /staff/partners/new': { min: 'staff', ok: 200 },
  'POST /staff/partners': { min: 'staff', ok: 422 },
  'GET /staff/partners/:id/edit': { min: 'staff', ok: 200 },
  'POST /staff/partners/:id': { min: 'staff', ok: 422 },
  'GET /staff/partners/:id/delete': { min: 'staff', ok: 200 },
  'POST /staff/partners/:id/delete': { min: 'staff', ok: 303, params: { id: 'spare-partner' } },
  'POST /staff/partners/:id/programs': { min: 'staff', ok: 422 },
  'POST /staff/partners/:id/programs/:programId/delete': { min: 'staff', ok: 303 },
  'GET /staff/queue': { min: 'staff', ok: 200 },
  'POST /staff/queue/import': { min: 'staff', ok: 422, multipart: true },

  // Administrators only: accounts, library settings, contact details.
  'GET /staff/users': { min: 'admin', ok: 200 },
  'POST /staff/users': { min: 'admin', ok: 422 },
  'POST /staff/users/:id/password': { min: 'admin', ok: 422, params: { id: 'spare-user' } },
  'POST /staff/users/:id/status': { min: 'admin', ok: 303, params: { id: 'spare-user' } },
  'POST /staff/users/:id/unlock': { min: 'admin', ok: 303, params: { id: 'spare-user' } },
  'GET /staff/surveys/:slug/contacts/export': { min: 'admin', ok: 200 },
  'GET /staff/settings': { min: 'admin', ok: 200 },
  'POST /staff/settings': { min: 'admin', ok: 422 },
  'POST /staff/settings/logo': { min: 'admin', ok: 422, multipart: true },
  'POST /staff/settings/logo/delete': { min: 'admin', ok: 303 },
};

/** Paths that go through the staff session and CSRF check (app.ts `staffPaths`). */
const STAFF_AREA = /^\/(login|logout|setup|staff|reports|api)(\/|$)/;

interface Expected {
  status: number;
  /** `login`: a 303 to the sign-in page that comes back here; a code: the error code on the page. */
  check?: 'login' | 'forbidden' | 'unauthenticated' | 'csrf';
}

/**
 * What the app must answer: the route's own status to anyone allowed; otherwise, a sign-in
 * redirect (401 on the API) to nobody, 403 to a role below the route's. A disabled account's
 * session is ended at its next request: it is nobody, and its form token died with the session,
 * so a form post is refused by the CSRF check before any role check (uploads check the role
 * first, as they read the body only after it).
 */
function expected(who: Who, method: string, path: string, e: Entry): Expected {
  const disabledPost = who === 'disabled' && method === 'POST' && STAFF_AREA.test(path) && !e.multipart;
  if (disabledPost) return { status: 403, check: 'csrf' };
  if (e.min === 'public') return { status: e.okFor?.[who] ?? e.ok };
  if (who === 'anonymous' || who === 'disabled') return path.startsWith('/api/') ? { status: 401, check: 'unauthenticated' } : { status: 303, check: 'login' };
  if (LEVEL[who] < LEVEL[e.min]) return { status: 403, check: 'forbidden' };
  return { status: e.okFor?.[who] ?? e.ok };
}

describe('access matrix: every route × anonymous, board, staff, admin and a disabled account', () => {
  let app: Express;
  before(async () => {
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '100000' }));
  });

  it('the table has exactly the routes of the router stack (a new route needs its line)', () => {
    const actual = listRoutes(app).map((r) => `${r.method} ${r.path}`);
    expect(actual.filter((r) => !ROUTES[r]), 'routes missing from the table').to.deep.equal([]);
    expect(Object.keys(ROUTES).filter((r) => !actual.includes(r)), 'table lines without a route').to.deep.equal([]);
    expect(actual.length).to.equal(new Set(actual).size);
  });

  /** A fresh database with everything the routes' parameters point at; returns those values. */
  async function seed(): Promise<Record<string, string>> {
    await clearDatabase();
    await buildSurvey();
    await buildSurvey({ slug: 'spare-survey' });
    await buildSurvey({ slug: 'archived-survey' });
    await archiveSurvey('archived-survey');
    const partner = await buildPartner();
    const spare = await buildPartner({ name: 'Spare Bakery' });
    await addProgram(partner.id, { date: '2024-05-01', title: 'Story time', notes: '' });
    const programId = (await getPartner(partner.id)).programs[0]!.id;
    for (const sid of ['spam-matrix-00000001', 'spam-matrix-00000002']) {
      await request(app).post('/s/test-survey').type('form').send({ sid, lang: 'en', 'q:interests': 'job-skills', website: 'http://bot.example' }).expect(303);
    }
    const [spamRelease, spamDelete] = (await SpamResponseModel.find({}, { _id: 1 }).sort({ submissionId: 1 }).lean()).map((d) => String(d._id));
    await createUser({ email: 'spare@library.test', name: 'Spare', role: 'staff', password: TEST_PASSWORD });
    const spareUser = String((await UserModel.findOne({ email: 'spare@library.test' }).lean())!._id);
    return {
      slug: 'test-survey',
      id: partner.id,
      'spare-partner': spare.id,
      'spam-release': spamRelease!,
      'spam-delete': spamDelete!,
      'spare-user': spareUser,
      qid: 'name',
      lang: 'es',
      batch: '0123456789abcdef01234567',
      importId: '0123456789abcdef01234567',
      programId,
    };
  }

  /** A sender: a cookie jar and a form token. The disabled account replays its first, now ended, session. */
  async function sender(who: Who): Promise<{ send: (method: string, url: string) => request.Test; token: string }> {
    if (who === 'anonymous') {
      const agent = request.agent(app);
      const token = csrfFrom((await agent.get('/login').expect(200)).text);
      return { send: (m, url) => (m === 'GET' ? agent.get(url) : agent.post(url)), token };
    }
    if (who === 'disabled') {
      await createUser({ email: 'disabled@library.test', name: 'Dee', role: 'staff', password: TEST_PASSWORD });
      const page = await request(app).get('/login').expect(200);
      const signIn = await request(app).post('/login').set('Cookie', cookieOf(page)).type('form').send({ _csrf: csrfFrom(page.text), email: 'disabled@library.test', password: TEST_PASSWORD }).expect(303);
      const cookie = cookieOf(signIn);
      const token = csrfFrom((await request(app).get('/staff/surveys').set('Cookie', cookie).expect(200)).text);
      await UserModel.updateOne({ email: 'disabled@library.test' }, { $set: { disabled: true } });
      return { send: (m, url) => (m === 'GET' ? request(app).get(url) : request(app).post(url)).set('Cookie', cookie), token };
    }
    const { agent, csrf } = await signedInAgent(app, who);
    const token = await csrf();
    return { send: (m, url) => (m === 'GET' ? agent.get(url) : agent.post(url)), token };
  }

  for (const who of WHO) {
    it(`${who}: every route answers the status the table gives for ${who === 'disabled' ? 'a disabled account' : who}, never a 500`, async function () {
      this.timeout(120000);
      const values = await seed();
      const { send, token } = await sender(who);
      const entries = Object.entries(ROUTES).sort(([, a], [, b]) => Number(a.last ?? false) - Number(b.last ?? false));
      const wrong: string[] = [];
      for (const [key, entry] of entries) {
        const [method, pattern] = key.split(' ') as [string, string];
        const params = Object.fromEntries(Object.entries({ ...values, ...entry.params }).map(([k, v]) => [k, values[v] ?? v]));
        const path = concretePath(pattern, params);
        const url = entry.query ? `${path}?${entry.query}` : path;
        let req = send(method, url).set('X-CSRF-Token', token);
        if (method === 'POST') req = entry.multipart ? req.field('_csrf', token) : req.type('form').send({ _csrf: token });
        const res = await req;
        const want = expected(who, method, pattern, entry);
        const problem =
          res.status !== want.status
            ? `${res.status} (${/error-page__code">[^<]*?(\d{3} \w+)|"code":"(\w+)"/.exec(res.text)?.slice(1).find(Boolean) ?? res.headers.location ?? ''})`
            : want.check === 'login' && !String(res.headers.location).startsWith(`/login?next=${encodeURIComponent(url)}`)
              ? `303 to ${res.headers.location}`
              : want.check && want.check !== 'login' && !res.text.includes(want.check)
                ? `no "${want.check}" code`
                : '';
        if (problem) wrong.push(`${key}: expected ${want.status}${want.check ? ` ${want.check}` : ''}, got ${problem}`);
      }
      expect(wrong, `${who}`).to.deep.equal([]);
    });
  }
});
