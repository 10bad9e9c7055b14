import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { buildTestApp } from '../helpers/app.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

const HOST = 'survey.library.test';
let n = 0;
const answers = (): Record<string, string | string[]> => ({ sid: `cross-site-${String(++n).padStart(9, '0')}`, lang: 'en', 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no' });
const stored = async (): Promise<number> => (await ResponseModel.countDocuments()) + (await SpamResponseModel.countDocuments());

/** The two form posts the public can send: the personal-device form and the kiosk. */
const POSTS = [
  { what: 'the public form', url: '/s/test-survey', thanks: /^\/s\/test-survey\/thanks/ },
  { what: 'the kiosk', url: '/kiosk/test-survey/answer', thanks: /^\/kiosk\/test-survey\/thanks/ },
];

describe('no cross-site submissions: the public form and the kiosk refuse posts made by other websites', () => {
  const ctx = useTestApp(buildSurvey);

  for (const { what, url, thanks } of POSTS) {
    describe(what, () => {
      it(`POST ${url} with Sec-Fetch-Site: cross-site answers 403 crossSite with a localized page (es) and stores nothing`, async () => {
        const res = await request(ctx.app).post(url).set('Host', HOST).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'https://evil.example').set('Accept-Language', 'es').type('form').send(answers()).expect(403);
        const $ = cheerio.load(res.text);
        expect($('.error-page__code').text()).to.contain('403 crossSite');
        expect($('h1').text()).to.equal('Este formulario se envió desde otro sitio web');
        expect($('html').attr('lang')).to.equal('es');
        expect(await stored()).to.equal(0);
      });

      it(`POST ${url} cross-site asking for JSON gets a JSON 403 with the code crossSite`, async () => {
        const res = await request(ctx.app).post(url).set('Host', HOST).set('Sec-Fetch-Site', 'cross-site').set('Accept', 'application/json').type('form').send(answers()).expect(403);
        expect(res.body.error.code).to.equal('crossSite');
        expect(res.body.error.message).to.be.a('string').and.not.equal('');
        expect(await stored()).to.equal(0);
      });

      it(`POST ${url} without Sec-Fetch-Site from another Origin (or Origin: null) answers 403 and stores nothing`, async () => {
        for (const origin of ['https://evil.example', 'http://survey.library.test.evil.example', 'null']) {
          const res = await request(ctx.app).post(url).set('Host', HOST).set('Origin', origin).type('form').send(answers());
          expect(res.status, origin).to.equal(403);
        }
        expect(await stored()).to.equal(0);
      });

      it(`POST ${url} from the site itself still works: a plain form post (same-origin), same-site, an old browser sending only a matching Origin, and a program sending neither`, async () => {
        const senders: Record<string, string>[] = [
          { 'Sec-Fetch-Site': 'same-origin', Origin: `http://${HOST}` },
          { 'Sec-Fetch-Site': 'same-site', Origin: `https://www.library.test` },
          { 'Sec-Fetch-Site': 'none' },
          { Origin: `http://${HOST}` },
          { Origin: `https://${HOST.toUpperCase()}` },
          {},
        ];
        for (const headers of senders) {
          const res = await request(ctx.app).post(url).set('Host', HOST).set(headers).type('form').send(answers());
          expect(res.status, JSON.stringify(headers)).to.equal(303);
          expect(res.headers.location).to.match(thanks);
        }
        expect(await ResponseModel.countDocuments()).to.equal(senders.length);
      });

      it(`POST ${url} as the offline queue resends it (same-origin fetch asking for JSON) answers 200 stored`, async () => {
        const res = await request(ctx.app)
          .post(url)
          .set('Host', HOST)
          .set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors', Origin: `http://${HOST}`, Accept: 'application/json' })
          .type('form')
          .send(answers())
          .expect(200);
        expect(res.body.status).to.equal('stored');
        expect(await ResponseModel.countDocuments()).to.equal(1);
      });
    });
  }

  describe('behind a proxy and at PUBLIC_URL', () => {
    it('TRUST_PROXY=1: an Origin matching X-Forwarded-Host is the site itself (303); another is refused (403)', async () => {
      const { app: proxied } = await buildTestApp({ TRUST_PROXY: '1' });
      const send = (origin: string) =>
        request(proxied).post('/s/test-survey').set({ Host: '127.0.0.1:3000', 'X-Forwarded-Host': HOST, 'X-Forwarded-Proto': 'https', Origin: origin }).type('form').send(answers());
      expect((await send(`https://${HOST}`)).status).to.equal(303);
      expect((await send('https://evil.example')).status).to.equal(403);
    });

    it('PUBLIC_URL: an Origin matching it is the site itself even when the Host header is an internal name (303)', async () => {
      const { app: published } = await buildTestApp({ PUBLIC_URL: `https://${HOST}/` });
      const res = await request(published).post('/kiosk/test-survey/answer').set({ Host: 'app-internal:3000', Origin: `https://${HOST}` }).type('form').send(answers());
      expect(res.status).to.equal(303);
      expect((await request(published).post('/kiosk/test-survey/answer').set({ Host: 'app-internal:3000', Origin: 'https://evil.example' }).type('form').send(answers())).status).to.equal(403);
    });
  });
});
