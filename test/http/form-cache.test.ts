import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type { Config } from '../../server/config.js';
import { formSecret } from '../../server/form-secret.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { clearSettingsCache } from '../../surveys/settings.service.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { checkFormToken } from '../../surveys/spam-token.js';
import { SurveyModel } from '../../surveys/survey.model.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';
import { smallImage } from '../fixtures/images.js';

const answers = (sid: string, ft: string): Record<string, string | string[]> => ({ sid, ft, lang: 'en', 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no' });

function perRequest(html: string): { sid: string; ft: string } {
  const $ = cheerio.load(html);
  return { sid: String($('input[name=sid]').val()), ft: String($('input[name=ft]').val()) };
}

/** The page with its per-request values blanked, for comparing two pages. */
const withoutPerRequest = (html: string): string => html.replace(/(name="sid" value=")[^"]*"/, '$1"').replace(/(name="ft" value=")[^"]*"/, '$1"');

const page = async (app: Express, path: string): Promise<string> => (await request(app).get(path).set('Accept-Language', 'en').expect(200)).text;

/** Raw bytes of a GET, not decompressed (supertest and fetch both unzip). */
function rawGet(app: Express, path: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  const server = app.listen(0, '127.0.0.1');
  return new Promise((resolve, reject) => {
    server.once('listening', () => {
      http
        .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            server.close();
            resolve({ headers: res.headers, body: Buffer.concat(chunks) });
          });
        })
        .on('error', reject);
    });
  });
}

describe('respondent form page cache', () => {
  let app: Express;
  let fresh: Express;
  let config: Config;
  before(async () => {
    ({ app, config } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    ({ app: fresh } = await buildTestApp({ FORM_CACHE_SIZE: '0' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    clearSettingsCache();
    await buildSurvey();
  });
  after(() => clearSettingsCache());

  it('GET /s/test-survey from the cache equals a fresh render apart from the submission id and form token (web, ?lang=ar, tag, kiosk with locations)', async () => {
    const kiosk = '/kiosk/test-survey/answer?lang=es';
    for (const path of ['/s/test-survey', '/s/test-survey?lang=ar', '/s/test-survey?ch=poster-1', kiosk, `${kiosk}&location=Teen%20Room&ch=lobby`, `${kiosk}&location=${encodeURIComponent('<b>"Main" & Co</b>')}`]) {
      await page(app, path);
      const cached = await page(app, path);
      const rendered = await page(fresh, path);
      expect(withoutPerRequest(cached), path).to.equal(withoutPerRequest(rendered));
      expect(perRequest(cached).sid, path).to.not.equal(perRequest(rendered).sid);
    }
  });

  it('every GET gets its own submission id and a signed form token; the form posted as served is stored (303)', async () => {
    const pages = await Promise.all(Array.from({ length: 20 }, () => page(app, '/s/test-survey')));
    const parts = pages.map(perRequest);
    expect(new Set(parts.map((p) => p.sid)).size).to.equal(20);
    for (const { sid, ft } of parts) {
      expect(sid).to.match(/^[0-9a-f-]{36}$/);
      expect(checkFormToken(formSecret(config), 'test-survey', ft, Date.now()).status).to.equal('ok');
    }
    await request(app).post('/s/test-survey').type('form').send(answers(parts[0]!.sid, parts[0]!.ft)).expect(303);
    expect(await ResponseModel.countDocuments({ _id: parts[0]!.sid })).to.equal(1);
  });

  it('with MIN_FILL_SECONDS=3 a cached form posted at once is kept apart as too fast, not stored as a response', async () => {
    const { app: slow } = await buildTestApp({ MIN_FILL_SECONDS: '3' });
    await page(slow, '/s/test-survey');
    const { sid, ft } = perRequest(await page(slow, '/s/test-survey'));
    await request(slow).post('/s/test-survey').type('form').send(answers(sid, ft)).expect(303);
    expect((await SpamResponseModel.findOne({ submissionId: sid }).lean())?.spam?.reasons).to.deep.equal(['tooFast']);
    expect(await ResponseModel.countDocuments()).to.equal(0);
  });

  it('a question whose text looks like a placeholder ({{sid}}, cn-slot-…-sid, $&) is shown as typed, and the real id still goes in the sid field', async () => {
    const def = buildDefinition();
    const label = 'Id {{sid}} cn-slot-00000000000000000000000000000000-sid $& $1 %SID%';
    await buildSurvey({ questions: def.questions.map((q) => (q.id === 'name' ? { ...q, label: { en: label } } : q)) });
    await page(app, '/s/test-survey');
    const html = await page(app, '/s/test-survey');
    expect(cheerio.load(html)('label[for="q-name-input"]').text()).to.equal(label);
    expect(perRequest(html).sid).to.match(/^[0-9a-f-]{36}$/);
  });

  it('POST an invalid answer re-renders 422 with what was typed; the next GET is the empty form again', async () => {
    const { sid, ft } = perRequest(await page(app, '/s/test-survey'));
    const res = await request(app).post('/s/test-survey').type('form').send({ ...answers(sid, ft), 'q:interests': [], 'q:name': 'Kim' }).expect(422);
    const $ = cheerio.load(res.text);
    expect($('input[name="q:name"]').val()).to.equal('Kim');
    expect($('input[name=sid]').val()).to.equal(sid);
    expect($('.error-summary li')).to.have.length(1);
    const again = cheerio.load(await page(app, '/s/test-survey'));
    expect(again('input[name="q:name"]').val()).to.equal('');
    expect(again('.error-summary')).to.have.length(0);
  });

  it('?lang= switches the cached page (and sets the cookie); the cookie then picks it', async () => {
    expect(cheerio.load(await page(app, '/s/test-survey'))('h1').text()).to.equal('Test survey');
    const es = await request(app).get('/s/test-survey?lang=es').expect(200);
    expect(cheerio.load(es.text)('html').attr('lang')).to.equal('es');
    expect(cheerio.load(es.text)('h1').text()).to.equal('Encuesta de prueba');
    expect(es.headers['set-cookie']?.[0]).to.match(/^lang=es;/);
    const ar = cheerio.load((await request(app).get('/s/test-survey').set('Cookie', 'lang=ar').expect(200)).text);
    expect([ar('html').attr('lang'), ar('html').attr('dir')]).to.deep.equal(['ar', 'rtl']);
  });

  it('a cached page keeps the security headers, no-store and no session cookie', async () => {
    await page(app, '/s/test-survey');
    const res = await request(app).get('/s/test-survey').expect(200);
    expect(res.headers['content-security-policy']).to.contain("script-src 'self'");
    expect(res.headers['x-frame-options']).to.equal('DENY');
    expect(res.headers['cache-control']).to.contain('no-store');
    expect(res.headers['set-cookie'] ?? []).to.deep.equal([]);
  });

  it('with Accept-Encoding gzip the page comes compressed (valid gzip, checksum included) and equals the plain page apart from the per-request parts', async () => {
    await page(app, '/s/test-survey');
    const gz = await rawGet(app, '/s/test-survey', { 'accept-encoding': 'gzip, br', 'accept-language': 'en' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.headers.vary).to.contain('Accept-Encoding');
    const unzipped = zlib.gunzipSync(gz.body).toString('utf8');
    expect(Number(gz.headers['content-length'])).to.equal(gz.body.length);
    const plain = await rawGet(app, '/s/test-survey', { 'accept-language': 'en' });
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(withoutPerRequest(unzipped)).to.equal(withoutPerRequest(plain.body.toString('utf8')));
    expect(perRequest(unzipped).sid).to.not.equal(perRequest(plain.body.toString('utf8')).sid);
  });

  describe('changes show at once', () => {
    let other: Express;
    before(async () => {
      ({ app: other } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' }));
    });

    it('a translation saved and published through another app shows on this app\'s cached Spanish form', async () => {
      expect(cheerio.load(await page(app, '/s/test-survey?lang=es'))('h1').text()).to.equal('Encuesta de prueba');
      const { agent, csrf } = await signedInAgent(other, 'staff');
      const token = await csrf();
      await agent.post('/staff/surveys/test-survey/translations/es').field('_csrf', token).field('t:title', 'Encuesta nueva').expect(303);
      await agent.post('/staff/surveys/test-survey/publish').type('form').send({ _csrf: token }).expect(303);
      expect(cheerio.load(await page(app, '/s/test-survey?lang=es'))('h1').text()).to.equal('Encuesta nueva');
    });

    it('hiding a language (same version number) takes it out of the cached form\'s language picker', async () => {
      const langs = async (): Promise<string[]> => cheerio.load(await page(app, '/s/test-survey'))('button[name=switchLang]').map((_, b) => String(b.attribs.value)).get();
      expect(await langs()).to.deep.equal(['en', 'es', 'ar']);
      const { agent, csrf } = await signedInAgent(other, 'staff');
      await agent.post('/staff/surveys/test-survey/translations/ar/visibility').type('form').send({ _csrf: await csrf(), hidden: '1' }).expect(303);
      expect((await SurveyModel.findOne({ slug: 'test-survey' }).lean())?.version).to.equal(1);
      expect(await langs()).to.deep.equal(['en', 'es']);
    });

    it('the library name and a new logo saved in settings show on the cached web and kiosk forms', async () => {
      await page(app, '/s/test-survey');
      await page(app, '/kiosk/test-survey/answer');
      const { agent } = await signedInAgent(other, 'admin');
      const token = async (): Promise<string> => csrfFrom((await agent.get('/staff/settings').expect(200)).text);
      await agent.post('/staff/settings').type('form').send({ libraryName: 'Riverside Library', thankYouUrl: '', kioskIdleSeconds: '120', kioskLocations: '', defaultLanguages: ['en'], _csrf: await token() }).expect(303);
      await agent.post('/staff/settings/logo').field('_csrf', await token()).attach('logo', smallImage(), { filename: 'logo.png', contentType: 'application/octet-stream' }).expect(303);
      const web = cheerio.load(await page(app, '/s/test-survey'));
      expect(web('.site-header__library').text()).to.contain('Riverside Library');
      expect(web('img.brand-logo').attr('src')).to.match(/^\/branding\/logo\?v=/);
      expect(cheerio.load(await page(app, '/kiosk/test-survey/answer'))('[data-idle-seconds]').attr('data-idle-seconds')).to.equal('120');
    });

    it('an edit another instance writes straight to the database (no signal in this process) shows once the survey read is refreshed', async function () {
      this.timeout(30_000);
      await page(app, '/s/test-survey');
      expect(cheerio.load(await page(app, '/s/test-survey'))('h1').text()).to.equal('Test survey');
      await SurveyModel.collection.updateOne({ slug: 'test-survey' }, { $set: { 'definition.title.en': 'Edited elsewhere' }, $inc: { version: 1 } });
      // The survey read is kept a few seconds (surveys/survey-cache.ts); the page follows it.
      const deadline = Date.now() + 15_000;
      let title = '';
      while (Date.now() < deadline && title !== 'Edited elsewhere') {
        title = cheerio.load(await page(app, '/s/test-survey'))('h1').text();
        if (title !== 'Edited elsewhere') await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(title).to.equal('Edited elsewhere');
      expect(cheerio.load(await page(other, '/s/test-survey'))('h1').text()).to.equal('Edited elsewhere');
    });
  });
});
