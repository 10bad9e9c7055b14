import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { SettingsModel } from '../../surveys/settings.model.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { useTestAppWithSettings } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';
import { HOSTILE_SVG, PLAIN_SVG, PNG_SIGNATURE, smallImage } from '../fixtures/images.js';

type Agent = ReturnType<typeof request.agent>;

const VALID = {
  libraryName: 'Riverside Public Library',
  thankYouUrl: 'https://www.riverside.example/programs',
  kioskIdleSeconds: '120',
  kioskLocations: 'Main Branch\nTeen Room\n\nmain branch\n',
  defaultLanguages: ['en', 'es'],
};

describe('library settings /staff/settings', () => {
  const ctx = useTestAppWithSettings(buildSurvey, { LIBRARY_NAME: 'Config Library', KIOSK_IDLE_SECONDS: '45', KIOSK_LOCATION: 'Front Desk', LOGIN_RATE_LIMIT: '1000' });

  async function admin(): Promise<{ agent: Agent; token: () => Promise<string> }> {
    const { agent } = await signedInAgent(ctx.app, 'admin');
    return { agent, token: async () => csrfFrom((await agent.get('/staff/settings').expect(200)).text) };
  }

  function upload(agent: Agent, token: string, file: Buffer, filename: string) {
    return agent.post('/staff/settings/logo').field('_csrf', token).attach('logo', file, { filename, contentType: 'application/octet-stream' });
  }

  describe('who may change them', () => {
    it('GET anonymously redirects 303 to sign-in; POST anonymously changes nothing', async () => {
      const res = await request(ctx.app).get('/staff/settings').expect(303);
      expect(res.headers.location).to.equal('/login?next=%2Fstaff%2Fsettings');
      const post = await request(ctx.app).post('/staff/settings').type('form').send(VALID);
      expect(post.status).to.be.within(300, 403);
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    for (const role of ['staff', 'board'] as const) {
      it(`a ${role} account gets 403 for the page, the form and the logo upload`, async () => {
        const { agent } = await signedInAgent(ctx.app, role);
        await agent.get('/staff/settings').expect(403);
        const token = csrfFrom((await agent.get('/staff/surveys/test-survey/share').expect(200)).text);
        await agent.post('/staff/settings').type('form').send({ ...VALID, _csrf: token }).expect(403);
        await upload(agent, token, smallImage(), 'logo.png').expect(403);
        expect(await SettingsModel.countDocuments()).to.equal(0);
      });
    }
  });

  describe('the settings form', () => {
    it('GET before anything is saved shows the configuration values as defaults, every input labelled', async () => {
      const { agent } = await admin();
      const $ = cheerio.load((await agent.get('/staff/settings').expect(200)).text);
      expect($('#libraryName').val()).to.equal('Config Library');
      expect($('#kioskIdleSeconds').val()).to.equal('45');
      expect($('#kioskLocations').text()).to.equal('Front Desk');
      expect($('input[name=defaultLanguages]:checked').length).to.equal(6);
      $('input:not([type=hidden]), textarea').each((_, el) => {
        expect($(`label[for="${$(el).attr('id')}"]`).length, `label for ${$(el).attr('id')}`).to.equal(1);
      });
      expect($('form[enctype="multipart/form-data"] input[name=_csrf]').length).to.equal(1);
      expect($('[style]').length).to.equal(0);
    });

    it('POST valid settings answers 303; respondent and kiosk pages show the name, the link and the idle time', async () => {
      const { agent, token } = await admin();
      const res = await agent.post('/staff/settings').type('form').send({ ...VALID, _csrf: await token() }).expect(303);
      expect(res.headers.location).to.equal('/staff/settings?saved=settings');
      const doc = (await SettingsModel.findById('library').lean())!;
      expect(doc.kioskLocations).to.deep.equal(['Main Branch', 'Teen Room']);
      expect(doc.defaultLanguages).to.deep.equal(['en', 'es']);

      const form = cheerio.load((await request(ctx.app).get('/s/test-survey').expect(200)).text);
      expect(form('.site-header__library').text()).to.equal('Riverside Public Library');
      const thanks = cheerio.load((await request(ctx.app).get('/s/test-survey/thanks?lang=es').expect(200)).text);
      expect(thanks('.thanks__more a').attr('href')).to.equal('https://www.riverside.example/programs');
      expect(thanks('.thanks__more a').text()).to.equal('Más información');
      const kioskStart = cheerio.load((await request(ctx.app).get('/kiosk/test-survey').expect(200)).text);
      expect(kioskStart('.kiosk-start__library').text()).to.equal('Riverside Public Library');
      const kioskForm = cheerio.load((await request(ctx.app).get('/kiosk/test-survey/answer?lang=en').expect(200)).text);
      expect(kioskForm('[data-kiosk-form]').attr('data-idle-seconds')).to.equal('120');
      // A kiosk shows the address (and a QR code of it) rather than a link that would leave the kiosk.
      const kioskThanks = cheerio.load((await request(ctx.app).get('/kiosk/test-survey/thanks?lang=en').expect(200)).text);
      expect(kioskThanks('.thanks__more').text()).to.contain('https://www.riverside.example/programs');
      expect(kioskThanks('.thanks__more a').length).to.equal(0);
      const qr = await request(ctx.app).get(kioskThanks('.thanks__more img').attr('src')!).expect(200);
      expect(qr.headers['content-type']).to.match(/^image\/svg\+xml/);

      const page = cheerio.load((await agent.get('/staff/settings?saved=settings').expect(200)).text);
      expect(page('[role=status]').text()).to.contain('Settings saved');
      expect(page('#kioskLocations').text()).to.equal('Main Branch\nTeen Room');
    });

    it('POST an idle time of 5 seconds answers 422 with the error beside the field and everything typed kept', async () => {
      const { agent, token } = await admin();
      const res = await agent.post('/staff/settings').type('form').send({ ...VALID, kioskIdleSeconds: '5', _csrf: await token() }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#kioskIdleSeconds').val()).to.equal('5');
      expect($('#kioskIdleSeconds').attr('aria-invalid')).to.equal('true');
      expect($('#kioskIdleSeconds').attr('aria-describedby')).to.contain('kioskIdleSeconds-error');
      expect($('#kioskIdleSeconds-error').text()).to.contain('10').and.contain('3600');
      expect($('#libraryName').val()).to.equal('Riverside Public Library');
      expect($('#thankYouUrl').val()).to.equal('https://www.riverside.example/programs');
      expect($('#kioskLocations').text()).to.equal(VALID.kioskLocations);
      expect($('#lang-es').attr('checked')).to.not.equal(undefined);
      expect($('#lang-ar').attr('checked')).to.equal(undefined);
      expect($('.error-summary a[href="#kioskIdleSeconds"]').length).to.equal(1);
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    it('POST an idle time that is not a whole number (12.5, abc, 4000) answers 422 each time', async () => {
      const { agent, token } = await admin();
      for (const value of ['12.5', 'abc', '4000', '']) {
        await agent.post('/staff/settings').type('form').send({ ...VALID, kioskIdleSeconds: value, _csrf: await token() }).expect(422);
      }
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    for (const url of ['javascript:alert(1)', 'http://www.riverside.example/', 'data:text/html,<script>alert(1)</script>', 'https://user:secret@evil.example/', 'www.riverside.example']) {
      it(`POST a thank-you link ${JSON.stringify(url)} answers 422 with the address kept and nothing saved`, async () => {
        const { agent, token } = await admin();
        const res = await agent.post('/staff/settings').type('form').send({ ...VALID, thankYouUrl: url, _csrf: await token() }).expect(422);
        const $ = cheerio.load(res.text);
        expect($('#thankYouUrl').val()).to.equal(url);
        expect($('#thankYouUrl').attr('aria-invalid')).to.equal('true');
        expect($('#thankYouUrl-error').text()).to.contain('https://');
        expect(await SettingsModel.countDocuments()).to.equal(0);
      });
    }

    it('POST a location name over 60 characters, or no language, answers 422 naming both fields', async () => {
      const { agent, token } = await admin();
      const res = await agent.post('/staff/settings').type('form').send({ ...VALID, kioskLocations: `Main\n${'x'.repeat(61)}`, defaultLanguages: undefined, _csrf: await token() }).expect(422);
      const $ = cheerio.load(res.text);
      expect($('#kioskLocations-error').length).to.equal(1);
      expect($('#defaultLanguages-error').length).to.equal(1);
      expect($('input[name=defaultLanguages]:checked').length).to.equal(0);
    });

    it('an empty thank-you link is allowed and shows no "Learn more"', async () => {
      const { agent, token } = await admin();
      await agent.post('/staff/settings').type('form').send({ ...VALID, thankYouUrl: '', _csrf: await token() }).expect(303);
      const thanks = cheerio.load((await request(ctx.app).get('/s/test-survey/thanks').expect(200)).text);
      expect(thanks('.thanks__more').length).to.equal(0);
      await request(ctx.app).get('/branding/learn-more.svg').expect(404);
    });
  });

  describe('the logo', () => {
    it('POST a real PNG answers 303; pages show it and /branding/logo serves it with safe, cacheable headers', async () => {
      const { agent, token } = await admin();
      const res = await upload(agent, await token(), smallImage(), 'logo.png').expect(303);
      expect(res.headers.location).to.equal('/staff/settings?saved=logo#logo-section');

      const form = cheerio.load((await request(ctx.app).get('/s/test-survey').expect(200)).text);
      const src = form('.site-header__library img').attr('src')!;
      expect(src).to.match(/^\/branding\/logo\?v=[\w-]+$/);
      expect(form('.site-header__library img').attr('alt')).to.equal('');
      const home = cheerio.load((await request(ctx.app).get('/').expect(200)).text);
      expect(home('.site-header__library img').attr('src')).to.equal(src);
      const kiosk = cheerio.load((await request(ctx.app).get('/kiosk/test-survey').expect(200)).text);
      expect(kiosk('img.kiosk-start__logo').attr('src')).to.equal(src);
      const settingsPage = cheerio.load((await agent.get('/staff/settings').expect(200)).text);
      expect(settingsPage('.logo-preview img').attr('src')).to.equal(src);

      const logo = await request(ctx.app).get('/branding/logo').buffer(true).expect(200);
      expect(logo.headers['content-type']).to.equal('image/png');
      expect(logo.headers['x-content-type-options']).to.equal('nosniff');
      expect(logo.headers['content-security-policy']).to.contain("default-src 'none'");
      expect(logo.headers.etag).to.match(/^"[\w-]+"$/);
      expect(logo.headers['cache-control']).to.contain('must-revalidate');
      expect((logo.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
      await request(ctx.app).get('/branding/logo').set('If-None-Match', logo.headers.etag!).expect(304);
      const versioned = await request(ctx.app).get(src).expect(200);
      expect(versioned.headers['cache-control']).to.contain('immutable');
    });

    it('POST a JPEG answers 303 and it is served as image/jpeg', async () => {
      const { agent, token } = await admin();
      await upload(agent, await token(), smallImage('image/jpeg'), 'photo.jpg').expect(303);
      const logo = await request(ctx.app).get('/branding/logo').buffer(true).expect(200);
      expect(logo.headers['content-type']).to.equal('image/jpeg');
    });

    it('POST an SVG with <script>, onload=, <foreignObject>, an external xlink:href and a CSS @import stores it cleaned and serves it under a no-script CSP', async () => {
      const { agent, token } = await admin();
      await upload(agent, await token(), Buffer.from(HOSTILE_SVG), 'logo.svg').expect(303);
      const logo = await request(ctx.app).get('/branding/logo').buffer(true).parse((res, cb) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => cb(null, body));
      });
      expect(logo.status).to.equal(200);
      expect(logo.headers['content-type']).to.match(/^image\/svg\+xml/);
      expect(logo.headers['content-security-policy']).to.equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      expect(logo.headers['x-content-type-options']).to.equal('nosniff');
      const svg = logo.body as string;
      for (const bad of ['<script', 'onload', 'onclick', 'foreignObject', 'evil.example', 'javascript:', '@import']) expect(svg, bad).to.not.contain(bad);
      const $ = cheerio.load(svg, { xml: true });
      expect($('svg').attr('viewBox')).to.equal('0 0 120 40');
      expect($('rect.ok').length).to.equal(1);
      expect($('text').text()).to.equal('Library');
      expect($('circle').attr('fill')).to.equal('url(#g)');
    });

    it('POST a plain SVG stores it; an SVG that does not parse answers 422 logoSvgInvalid; one declaring entities is refused', async () => {
      const { agent, token } = await admin();
      await upload(agent, await token(), Buffer.from(PLAIN_SVG), 'plain.svg').expect(303);
      const before = (await SettingsModel.findById('library').lean())!.logo!.hash;
      for (const broken of ['<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', '<svg><rect/></svg>']) {
        const res = await upload(agent, await token(), Buffer.from(broken), 'bad.svg').expect(422);
        const $ = cheerio.load(res.text);
        expect($('#logo-error').text()).to.contain('SVG');
        expect($('#logo').attr('aria-describedby')).to.contain('logo-error');
      }
      const entities = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;&a;</text></svg>';
      const res = await upload(agent, await token(), Buffer.from(entities), 'bad.svg');
      expect(res.status).to.be.oneOf([415, 422]);
      expect(cheerio.load(res.text)('#logo-error').length).to.equal(1);
      expect((await SettingsModel.findById('library').lean())!.logo!.hash).to.equal(before);
    });

    it('POST a polyglot (PNG signature followed by HTML) is refused and nothing is served', async () => {
      const { agent, token } = await admin();
      const polyglot = Buffer.concat([PNG_SIGNATURE, Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]);
      const res = await upload(agent, await token(), polyglot, 'logo.png').expect(415);
      expect(cheerio.load(res.text)('#logo-error').length).to.equal(1);
      await request(ctx.app).get('/branding/logo').expect(404);
    });

    it('POST a PNG header (signature and IHDR) followed by HTML answers 422 logoUnreadable: it must decode as a picture', async () => {
      const { agent, token } = await admin();
      const polyglot = Buffer.concat([smallImage().subarray(0, 33), Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]);
      const res = await upload(agent, await token(), polyglot, 'logo.png').expect(422);
      expect(cheerio.load(res.text)('#logo-error').text()).to.contain('damaged');
      await request(ctx.app).get('/branding/logo').expect(404);
    });

    it('POST a real PNG with HTML appended after its end is re-encoded: what is served holds no HTML', async () => {
      const { agent, token } = await admin();
      const file = Buffer.concat([smallImage(), Buffer.from('<script>alert(1)</script>')]);
      await upload(agent, await token(), file, 'logo.png').expect(303);
      const logo = await request(ctx.app).get('/branding/logo').buffer(true).expect(200);
      expect((logo.body as Buffer).includes(Buffer.from('<script'))).to.equal(false);
      expect((logo.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
    });

    it('POST a text file named logo.png answers 415: the type comes from the content, not the name', async () => {
      const { agent, token } = await admin();
      const res = await upload(agent, await token(), Buffer.from('just some text, not a picture'), 'logo.png').expect(415);
      expect(cheerio.load(res.text)('#logo-error').text()).to.contain('PNG');
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    it('POST a file over 512 KB answers 413 with the limit beside the field', async () => {
      const { agent, token } = await admin();
      const big = Buffer.concat([smallImage(), Buffer.alloc(600 * 1024, 0x20)]);
      const res = await upload(agent, await token(), big, 'huge.png').expect(413);
      expect(cheerio.load(res.text)('#logo-error').text()).to.contain('512');
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    it('POST a PNG named ../../etc/passwd.png stores the picture only; the name is never kept or used', async () => {
      const { agent, token } = await admin();
      await upload(agent, await token(), smallImage(), '../../etc/passwd.png').expect(303);
      const doc = (await SettingsModel.findById('library').lean())!;
      expect(JSON.stringify({ ...doc, logo: { ...doc.logo, data: undefined } })).to.not.contain('passwd');
      const logo = await request(ctx.app).get('/branding/logo').buffer(true).expect(200);
      expect((logo.body as Buffer).subarray(0, 8).equals(PNG_SIGNATURE)).to.equal(true);
    });

    it('POST without a file answers 422 fileMissing; without the CSRF token answers 403', async () => {
      const { agent, token } = await admin();
      const res = await agent.post('/staff/settings/logo').field('_csrf', await token()).expect(422);
      expect(cheerio.load(res.text)('#logo-error').length).to.equal(1);
      await agent.post('/staff/settings/logo').attach('logo', smallImage(), 'logo.png').expect(403);
      expect(await SettingsModel.countDocuments()).to.equal(0);
    });

    it('POST /staff/settings/logo/delete removes it: pages show no logo and /branding/logo answers 404', async () => {
      const { agent, token } = await admin();
      await upload(agent, await token(), smallImage(), 'logo.png').expect(303);
      await agent.post('/staff/settings/logo/delete').type('form').send({ _csrf: await token() }).expect(303);
      await request(ctx.app).get('/branding/logo').expect(404);
      const form = cheerio.load((await request(ctx.app).get('/s/test-survey').expect(200)).text);
      expect(form('.site-header__library img').length).to.equal(0);
      expect(form('.site-header__library').text()).to.equal('Config Library');
    });
  });
});
