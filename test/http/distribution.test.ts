import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { fromRoot } from '../../server/paths.js';
import { saveLogo, saveSettings } from '../../surveys/settings.service.js';
import { buildTestApp } from '../helpers/app.js';
import { signedInAgent } from '../helpers/auth.js';
import { useTestAppWithSettings } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';
import { PNG_SIGNATURE, smallImage } from '../fixtures/images.js';

type Agent = ReturnType<typeof request.agent>;
const ORIGIN = 'https://survey.library.test';
const BASE = '/staff/surveys/test-survey';

/** Reads a response body as text whatever its type (supertest does not parse SVG). */
function asText(test: request.Test): request.Test {
  return test.buffer(true).parse((res, cb) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('end', () => cb(null, body));
  });
}

describe('sharing a survey: links, QR codes and posters', () => {
  const ctx = useTestAppWithSettings(async () => {
    await buildSurvey();
    await saveSettings({ libraryName: 'Riverside Library', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Main Branch\nTeen Room', defaultLanguages: ['en'] });
  }, { PUBLIC_URL: `${ORIGIN}/`, LOGIN_RATE_LIMIT: '1000' });
  let staff: Agent;
  beforeEach(async () => {
    ({ agent: staff } = await signedInAgent(ctx.app, 'staff'));
  });

  describe('the share page', () => {
    it('GET /share shows the absolute public link, a kiosk link per saved location, and QR previews with PNG and SVG downloads', async () => {
      const res = await staff.get(`${BASE}/share`).expect(200);
      const $ = cheerio.load(res.text);
      expect($('#web .link-card__url a').attr('href')).to.equal(`${ORIGIN}/s/test-survey`);
      expect($('#web img.link-card__qr').attr('src')).to.equal(`${BASE}/qr.svg?kind=web`);
      expect($('#web img.link-card__qr').attr('alt')).to.contain(`${ORIGIN}/s/test-survey`);
      expect($('#web a[download]').map((_, a) => $(a).attr('href')).get()).to.deep.equal([`${BASE}/qr.png?kind=web&download=1`, `${BASE}/qr.svg?kind=web&download=1`]);
      const kiosks = $('#kiosk .link-card__url a').map((_, a) => $(a).attr('href')).get();
      expect(kiosks).to.deep.equal([`${ORIGIN}/kiosk/test-survey?location=Main%20Branch`, `${ORIGIN}/kiosk/test-survey?location=Teen%20Room`]);
      expect($('#kiosk img.link-card__qr').eq(1).attr('src')).to.equal(`${BASE}/qr.svg?kind=kiosk&location=Teen%20Room`);
      $('input:not([type=hidden])').each((_, el) => {
        expect($(`label[for="${$(el).attr('id')}"]`).length, `label for ${$(el).attr('id')}`).to.equal(1);
      });
      expect($('[style]').length).to.equal(0);
    });

    it('GET /share offers a link for shared computers (?shared=1) with its QR code; the QR code encodes that link; a bad mark is 400', async () => {
      const $ = cheerio.load((await staff.get(`${BASE}/share`).expect(200)).text);
      expect($('#shared .link-card__url a').attr('href')).to.equal(`${ORIGIN}/s/test-survey?shared=1`);
      expect($('#shared img.link-card__qr').attr('src')).to.equal(`${BASE}/qr.svg?kind=web&shared=1`);
      const svg = await staff.get(`${BASE}/qr.svg?kind=web&shared=1&download=1`).expect(200);
      expect(svg.headers['content-disposition']).to.contain('qr-test-survey-web-shared.svg');
      await staff.get(`${BASE}/qr.svg?kind=web&shared=yes`).expect(400);
      await staff.get(`${BASE}/qr.svg?kind=kiosk&shared=1`).expect(400);
    });

    it('locations an admin saves on the settings page each get a kiosk link with PNG and SVG QR codes, and the link opens the kiosk at that location', async () => {
      const { agent: admin, csrf } = await signedInAgent(ctx.app, 'admin');
      const form = { libraryName: 'Riverside Library', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Bookmobile\nSala de niños & jóvenes\n分馆', defaultLanguages: ['en'] };
      await admin.post('/staff/settings').type('form').send({ ...form, _csrf: await csrf() }).expect(303);
      const $ = cheerio.load((await staff.get(`${BASE}/share`).expect(200)).text);
      const cards = $('#kiosk .link-card');
      expect(cards.map((_, c) => $(c).find('.link-card__heading').text()).get().join(' | ')).to.contain('Bookmobile').and.contain('Sala de niños & jóvenes').and.contain('分馆');
      const urls = cards.map((_, c) => $(c).find('.link-card__url a').attr('href')).get();
      expect(urls).to.deep.equal([
        `${ORIGIN}/kiosk/test-survey?location=Bookmobile`,
        `${ORIGIN}/kiosk/test-survey?location=${encodeURIComponent('Sala de niños & jóvenes')}`,
        `${ORIGIN}/kiosk/test-survey?location=${encodeURIComponent('分馆')}`,
      ]);
      for (let i = 0; i < cards.length; i++) {
        const [png, svg] = cards.eq(i).find('a[download]').map((_, a) => $(a).attr('href')).get();
        const pngRes = await staff.get(png!).buffer(true).expect(200);
        expect((pngRes.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
        expect(pngRes.headers['content-disposition']).to.match(new RegExp(`filename="?qr-test-survey-kiosk-location-${i + 1}\\.png"?$`));
        await asText(staff.get(svg!)).expect(200).expect('content-type', /^image\/svg\+xml/);
        await asText(staff.get(cards.eq(i).find('img.link-card__qr').attr('src')!)).expect(200);
      }
      const kiosk = cheerio.load((await request(ctx.app).get(new URL(urls[1]!).pathname + new URL(urls[1]!).search).expect(200)).text);
      expect(kiosk('.kiosk-start__location').text()).to.contain('Sala de niños & jóvenes');
      // The old locations are gone: their QR codes are refused.
      await staff.get(`${BASE}/qr.png?kind=kiosk&location=Main%20Branch`).expect(400);
    });

    it('with no saved locations, GET /share shows one kiosk link without a location', async () => {
      await saveSettings({ libraryName: '', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: '', defaultLanguages: ['en'] });
      const $ = cheerio.load((await staff.get(`${BASE}/share`).expect(200)).text);
      expect($('#kiosk .link-card__url a').map((_, a) => $(a).attr('href')).get()).to.deep.equal([`${ORIGIN}/kiosk/test-survey`]);
    });

    it('a board member may view the share page, QR codes and poster; anonymous requests go to sign-in', async () => {
      const { agent: board } = await signedInAgent(ctx.app, 'board');
      await board.get(`${BASE}/share`).expect(200);
      await board.get(`${BASE}/qr.png`).expect(200);
      await board.get(`${BASE}/poster?size=letter&langs=en`).expect(200);
      const res = await request(ctx.app).get(`${BASE}/share`).expect(303);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(`${BASE}/share`)}`);
      await request(ctx.app).get(`${BASE}/qr.svg`).set('Accept', 'application/json').expect(401);
    });

    it('GET /share?ch=flyer-school shows the tagged link …/s/test-survey?ch=flyer-school with its QR code', async () => {
      const $ = cheerio.load((await staff.get(`${BASE}/share?ch=Flyer-School`).expect(200)).text);
      expect($('#tag .link-card__url a').attr('href')).to.equal(`${ORIGIN}/s/test-survey?ch=flyer-school`);
      expect($('#tag img.link-card__qr').attr('src')).to.equal(`${BASE}/qr.svg?kind=web&ch=flyer-school`);
      expect($('#poster-ch').val()).to.equal('flyer-school');
    });

    it('GET /share?ch=Flyer School! answers 422 with the error beside the tag field and the text kept', async () => {
      const $ = cheerio.load((await staff.get(`${BASE}/share?ch=${encodeURIComponent('Flyer School!')}`).expect(422)).text);
      expect($('#tag-ch').val()).to.equal('Flyer School!');
      expect($('#tag-ch').attr('aria-invalid')).to.equal('true');
      expect($('#tag-ch').attr('aria-describedby')).to.contain('tag-ch-error');
      expect($('#tag .link-card').length).to.equal(0);
    });

    it('without PUBLIC_URL the links use the request\'s own protocol and host', async () => {
      const { app: plain } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000' });
      const { agent } = await signedInAgent(plain, 'staff', 'plain@library.test');
      const $ = cheerio.load((await agent.get(`${BASE}/share`).set('Host', 'survey.branch.test:8080').expect(200)).text);
      expect($('#web .link-card__url a').attr('href')).to.equal('http://survey.branch.test:8080/s/test-survey');
    });
  });

  describe('QR codes', () => {
    it('GET /qr.png for the web link answers a PNG (signature, image/png, nosniff)', async () => {
      const res = await staff.get(`${BASE}/qr.png?kind=web`).buffer(true).expect(200);
      expect(res.headers['content-type']).to.equal('image/png');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect((res.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
      expect((res.body as Buffer).length).to.be.greaterThan(1000);
    });

    for (const query of ['kind=web', 'kind=web&ch=flyer-school', 'kind=kiosk&location=Main%20Branch', 'kind=kiosk']) {
      it(`GET /qr.svg?${query} answers an SVG that parses, with a dark module path`, async () => {
        const res = await asText(staff.get(`${BASE}/qr.svg?${query}`)).expect(200);
        expect(res.headers['content-type']).to.match(/^image\/svg\+xml/);
        const $ = cheerio.load(res.body as string, { xml: true });
        expect($('svg').attr('viewBox')).to.match(/^0 0 \d+ \d+$/);
        expect($('svg path').length).to.be.greaterThan(0);
        expect(res.body as string).to.not.contain('<script');
      });
    }

    it('different targets give different QR codes; a made-up url= parameter changes nothing', async () => {
      const svg = async (q: string): Promise<string> => (await asText(staff.get(`${BASE}/qr.svg?${q}`)).expect(200)).body as string;
      const web = await svg('kind=web');
      expect(await svg('kind=web&ch=flyer-school')).to.not.equal(web);
      expect(await svg('kind=kiosk&location=Teen%20Room')).to.not.equal(web);
      expect(await svg(`kind=web&url=${encodeURIComponent('https://evil.example/')}`)).to.equal(web);
    });

    it('GET /qr.png?download=1 is an attachment with a safe file name', async () => {
      const res = await staff.get(`${BASE}/qr.png?kind=kiosk&location=Teen%20Room&download=1`).expect(200);
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="?qr-test-survey-kiosk-location-2\.png"?$/);
    });

    const refusals: [string, string][] = [
      ['kind=kiosk&location=Basement', 'unknownLocation'],
      ['kind=web&ch=Flyer%20School!', 'invalidTag'],
      [`kind=web&ch=${'a'.repeat(41)}`, 'invalidTag'],
      ['kind=url', 'invalidLinkKind'],
      ['kind=kiosk&location=Main%20Branch&ch=flyer', 'tagWebOnly'],
      ['kind=web&location=Main%20Branch', 'locationKioskOnly'],
      ['kind=web&kind=kiosk', 'badRequest'], // a repeated single parameter: refused by the form-shape check
    ];
    for (const [query, code] of refusals) {
      it(`GET /qr.svg?${query} answers 400 ${code}`, async () => {
        const res = await staff.get(`${BASE}/qr.svg?${query}`).set('Accept', 'application/json').expect(400);
        expect(res.body.error.code).to.equal(code);
        expect(res.body.error.message).to.be.a('string').and.not.match(/^errors\./);
        const html = await staff.get(`${BASE}/qr.png?${query}`).expect(400);
        expect(html.text).to.contain(code);
      });
    }

    it('GET /qr.png for an unknown survey answers 404', async () => {
      await staff.get('/staff/surveys/nope/qr.png').expect(404);
    });
  });

  describe('the poster', () => {
    it('GET /poster?size=letter&langs=en,es,ar shows a block per language with its own lang, dir, title and invitation, the QR code and the library name', async () => {
      await saveLogo({ buffer: smallImage(), kind: 'png' });
      const res = await staff.get(`${BASE}/poster?size=letter&langs=en,es,ar&ch=poster-main`).expect(200);
      const $ = cheerio.load(res.text);
      expect($('main.poster').hasClass('poster--letter')).to.equal(true);
      const blocks = $('.poster__block');
      expect(blocks.map((_, b) => $(b).attr('lang')).get()).to.deep.equal(['en', 'es', 'ar']);
      expect(blocks.map((_, b) => $(b).attr('dir')).get()).to.deep.equal(['ltr', 'ltr', 'rtl']);
      expect(blocks.map((_, b) => $(b).find('.poster__title').text()).get()).to.deep.equal(['Test survey', 'Encuesta de prueba', 'استطلاع تجريبي']);
      const invites = blocks.map((_, b) => $(b).find('.poster__invite').text()).get();
      expect(invites[0]).to.contain('scan');
      expect(invites[1]).to.contain('escanee');
      expect(invites[2]).to.contain('امسح');
      const qr = $('.poster__qr img');
      expect(qr.attr('src')).to.match(/^data:image\/svg\+xml;base64,/);
      const svg = Buffer.from(qr.attr('src')!.split(',')[1]!, 'base64').toString('utf8');
      expect(cheerio.load(svg, { xml: true })('svg path').length).to.be.greaterThan(0);
      expect(qr.attr('alt')).to.contain(`${ORIGIN}/s/test-survey?ch=poster-main`);
      expect($('.poster__url').text()).to.equal(`${ORIGIN}/s/test-survey?ch=poster-main`);
      expect($('.poster__library').text()).to.equal('Riverside Library');
      expect($('.poster__logo').attr('src')).to.match(/^\/branding\/logo\?v=/);
      expect($('.poster-toolbar').hasClass('no-print')).to.equal(true);
      expect($('[style]').length).to.equal(0);
    });

    it('GET /poster?size=a4 uses the A4 class, and the stylesheet sizes that page A4 (and Letter) for print', async () => {
      const $ = cheerio.load((await staff.get(`${BASE}/poster?size=a4&langs=es`).expect(200)).text);
      expect($('main.poster').hasClass('poster--a4')).to.equal(true);
      expect($('.poster__block').attr('lang')).to.equal('es');
      const css = readFileSync(fromRoot('public', 'css', 'distribution.css'), 'utf8');
      expect(css).to.match(/@page poster-a4 \{ size: A4;/).and.match(/@page poster-letter \{ size: letter;/);
      expect(css).to.match(/\.poster--a4 \{ page: poster-a4; \}/);
    });

    const bad: [string, string][] = [
      ['size=b5&langs=en', 'invalidPosterSize'],
      ['size=letter&langs=en,vi', 'invalidLanguages'],
      ['size=letter&langs=', 'noLanguages'],
      ['size=letter&langs=en&ch=Not%20A%20Tag', 'invalidTag'],
    ];
    for (const [query, code] of bad) {
      it(`GET /poster?${query} answers 400 ${code}`, async () => {
        const res = await staff.get(`${BASE}/poster?${query}`).set('Accept', 'application/json').expect(400);
        expect(res.body.error.code).to.equal(code);
      });
    }

    it('GET /poster with four languages answers 400 tooManyLanguages', async () => {
      await buildSurvey({ slug: 'four-languages', languages: ['en', 'es', 'ar', 'vi'] });
      const res = await staff.get('/staff/surveys/four-languages/poster?size=letter&langs=en,es,ar,vi').set('Accept', 'application/json').expect(400);
      expect(res.body.error.code).to.equal('tooManyLanguages');
    });

    it('the poster form on the share page redirects 303 to the poster; invalid choices answer 422 with the choices kept', async () => {
      const ok = await staff.get(`${BASE}/share?poster=1&langs=en&langs=ar&size=a4&ch=flyer-school`).expect(303);
      expect(ok.headers.location).to.equal(`${BASE}/poster?size=a4&langs=en%2Car&ch=flyer-school`);
      await staff.get(ok.headers.location!).expect(200);
      const bad = await staff.get(`${BASE}/share?poster=1&size=a4&ch=Bad%20Tag`).expect(422);
      const $ = cheerio.load(bad.text);
      expect($('#poster-langs-error').length).to.equal(1);
      expect($('#poster-ch').val()).to.equal('Bad Tag');
      expect($('#poster-ch').attr('aria-invalid')).to.equal('true');
      expect($('#poster-size-a4').attr('checked')).to.not.equal(undefined);
      expect($('input[name=langs]:checked').length).to.equal(0);
    });
  });
});

describe('sharing a survey: kiosk locations from the configuration until settings are saved', () => {
  const ctx = useTestAppWithSettings(buildSurvey, { PUBLIC_URL: ORIGIN, LOGIN_RATE_LIMIT: '1000', KIOSK_LOCATION: 'Front Desk' });

  it('with KIOSK_LOCATION set and nothing saved, GET /share offers that location with its QR codes; saved locations then take its place', async () => {
    const { agent: staff } = await signedInAgent(ctx.app, 'staff');
    let $ = cheerio.load((await staff.get(`${BASE}/share`).expect(200)).text);
    expect($('#kiosk .link-card__url a').map((_, a) => $(a).attr('href')).get()).to.deep.equal([`${ORIGIN}/kiosk/test-survey?location=Front%20Desk`]);
    await staff.get(`${BASE}/qr.png?kind=kiosk&location=Front%20Desk`).expect(200).expect('content-type', 'image/png');
    await saveSettings({ libraryName: '', thankYouUrl: '', kioskIdleSeconds: '90', kioskLocations: 'Front Desk\nGarden', defaultLanguages: ['en'] });
    $ = cheerio.load((await staff.get(`${BASE}/share`).expect(200)).text);
    expect($('#kiosk .link-card__url a').map((_, a) => $(a).attr('href')).get()).to.deep.equal([`${ORIGIN}/kiosk/test-survey?location=Front%20Desk`, `${ORIGIN}/kiosk/test-survey?location=Garden`]);
    await staff.get(`${BASE}/qr.svg?kind=kiosk&location=Garden`).expect(200);
  });
});
