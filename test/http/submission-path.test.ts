import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Config } from '../../server/config.js';
import { formSecret } from '../../server/form-secret.js';
import { ContactModel } from '../../surveys/contact.model.js';
import { ResponseModel } from '../../surveys/response.model.js';
import { faultHooks } from '../../surveys/response.service.js';
import { SpamResponseModel } from '../../surveys/spam.model.js';
import { formToken } from '../../surveys/spam-token.js';
import { buildTestApp } from '../helpers/app.js';
import { follow } from '../helpers/form-state.js';
import { watchCommands } from '../helpers/commands.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey } from '../fixtures/builders.js';

// Two apps on one database and one form secret: `app` takes answers at once, `strict` holds
// any form sent within ten minutes of being shown as likely spam. A body posted to `strict` and
// then to `app` is the same form sent too quickly and sent again once enough time has passed.
const FORM_SECRET = 'submission-path-test-secret-0123456789abcdef';
const form = (sid: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({ sid, lang: 'en', 'q:interests': ['job-skills'], 'rank:priorities:1': 'coding-tech', 'q:children': 'no', 'q:name': 'Ana', ...extra });
const counts = async (): Promise<{ responses: number; spam: number; contacts: number }> => ({ responses: await ResponseModel.countDocuments(), spam: await SpamResponseModel.countDocuments(), contacts: await ContactModel.countDocuments() });

describe('the submit path: found by primary key, one id in one place, failures keep what was typed', () => {
  let app: Express;
  let strict: Express;
  let config: Config;
  /** A form's time stamp as the form had it when shown just now. */
  const shownNow = (): string => formToken(formSecret(config), 'test-survey', Date.now());
  before(async () => {
    ({ app, config } = await buildTestApp({ FORM_SECRET }));
    ({ app: strict } = await buildTestApp({ FORM_SECRET, MIN_FILL_SECONDS: '600' }));
  });
  beforeEach(async () => {
    await clearDatabase();
    await buildSurvey();
  });
  afterEach(() => {
    faultHooks.beforeInsert = undefined;
  });

  describe('a retry is found by primary key (part 1)', () => {
    it('POST a new submission stores the response with its submission id as _id; the likely-spam list holds a held one the same way', async () => {
      await request(app).post('/s/test-survey').type('form').send(form('pk-response-00000001')).expect(303);
      expect(await ResponseModel.collection.findOne({ _id: 'pk-response-00000001' as never })).to.include({ submissionId: 'pk-response-00000001' });
      await request(app).post('/s/test-survey').type('form').send(form('pk-held-000000000001', { website: 'x' })).expect(303);
      expect(await SpamResponseModel.collection.findOne({ _id: 'pk-held-000000000001' as never })).to.include({ submissionId: 'pk-held-000000000001' });
    });

    it('POST a resend of a response stored before ids became _id (an ObjectId _id): 303, still one response; other answers: 409', async () => {
      await request(app).post('/s/test-survey').type('form').send(form('pk-legacy-0000000001')).expect(303);
      const stored = (await ResponseModel.collection.findOneAndDelete({ _id: 'pk-legacy-0000000001' as never }))!;
      await ResponseModel.collection.insertOne({ ...stored, _id: new mongoose.Types.ObjectId() as never });
      await request(app).post('/s/test-survey').type('form').send(form('pk-legacy-0000000001')).expect(303);
      await request(app).post('/s/test-survey').type('form').send(form('pk-legacy-0000000001', { 'q:name': 'Other' })).expect(409);
      expect(await ResponseModel.countDocuments({ submissionId: 'pk-legacy-0000000001' })).to.equal(1);
    });

    describe('what the database is asked (command monitoring on the real connection)', () => {
      const seen = watchCommands((collection) => collection === 'responses' || collection === 'spam_responses');

      it('POST a new submission, then the same again (JSON and HTML): a resend never reads the responses (its key answers), and the likely-spam list is only read by _id equality', async () => {
        const body = form('pk-watched-000000001', { 'contact:email': 'pk@example.org', 'contact:consent': 'yes' });
        await request(app).post('/s/test-survey').type('form').send(body).expect(303);
        seen.length = 0;
        const again = await request(app).post('/s/test-survey').type('form').set('Accept', 'application/json').send(body).expect(200);
        expect(again.body.status).to.equal('duplicate');
        await request(app).post('/s/test-survey').type('form').send(body).expect(303);
        expect(seen.filter((s) => s.collection === 'responses'), 'the resends read no response').to.deep.equal([]);
        expect(seen.length, 'the resends looked at the likely-spam list').to.be.above(0);
        expect(seen.map((s) => ({ ...s, filter: JSON.stringify(s.filter) }))).to.deep.equal(seen.map((s) => ({ ...s, filter: JSON.stringify({ _id: 'pk-watched-000000001' }) })));
        expect(await ResponseModel.countDocuments({ submissionId: 'pk-watched-000000001' })).to.equal(1);
      });

      it('POST a held submission, then the same body as a response and as likely spam again: nothing reads the responses', async () => {
        const body = form('pk-watched-held-0001', { ft: shownNow() });
        seen.length = 0;
        await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
        await request(app).post('/s/test-survey').type('form').send(body).expect(303);
        await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
        expect(seen.filter((s) => s.collection === 'responses')).to.deep.equal([]);
        expect(await counts()).to.deep.include({ responses: 0, spam: 1 });
      });

      it('POST a response, then the same body arriving as likely spam: nothing reads the responses, and nothing stays held', async () => {
        const body = form('pk-watched-sent-0001', { ft: shownNow() });
        await request(app).post('/s/test-survey').type('form').send(body).expect(303);
        seen.length = 0;
        await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
        expect(seen.filter((s) => s.collection === 'responses')).to.deep.equal([]);
        expect(await counts()).to.deep.include({ responses: 1, spam: 0 });
      });
    });
  });

  describe('one submission id lives in one place (part 2)', () => {
    it('POST held as too fast, then the same body once enough time has passed: the same thank-you (JSON: duplicate), one copy, in the likely-spam list only', async () => {
      const body = form('held-then-sent-000001', { ft: shownNow(), 'contact:email': 'held@example.org', 'contact:consent': 'yes' });
      const held = await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
      expect(await counts()).to.deep.equal({ responses: 0, spam: 1, contacts: 0 });
      const later = await request(app).post('/s/test-survey').type('form').send(body).expect(303);
      expect(later.headers.location).to.equal(held.headers.location);
      const queued = await request(app).post('/s/test-survey').type('form').set('Accept', 'application/json').send(body).expect(200);
      expect(queued.body).to.deep.include({ status: 'duplicate', submissionId: 'held-then-sent-000001', redirect: held.headers.location });
      expect(await counts()).to.deep.equal({ responses: 0, spam: 1, contacts: 0 });
      await request(app).post('/s/test-survey').type('form').send({ ...body, 'q:name': 'Other' }).expect(409);
      expect(await counts()).to.deep.equal({ responses: 0, spam: 1, contacts: 0 });
    });

    it('POST stored as a response, then the same body arriving as likely spam: acknowledged, nothing held', async () => {
      const body = form('sent-then-held-000001', { ft: shownNow() });
      await request(app).post('/s/test-survey').type('form').send(body).expect(303);
      await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
      expect(await counts()).to.deep.equal({ responses: 1, spam: 0, contacts: 0 });
    });

    it('the same submission held as likely spam while it is being stored as a response (a concurrent pair): one copy stays, the response, with the held copy’s contact filed once', async () => {
      const body = form('concurrent-pair-00001', { ft: shownNow(), 'contact:phone': '555 123 4567', 'contact:consent': 'yes' });
      // Between the response path's check of the held list and its insert, the other request holds it.
      faultHooks.beforeInsert = async () => {
        faultHooks.beforeInsert = undefined;
        await request(strict).post('/s/test-survey').type('form').send(body).expect(303);
        expect(await SpamResponseModel.countDocuments()).to.equal(1);
      };
      await request(app).post('/s/test-survey').type('form').send(body).expect(303);
      expect(await counts()).to.deep.equal({ responses: 1, spam: 0, contacts: 1 });
    });

    const refused: [string, () => request.Test][] = [
      ['without a submission id', () => request(app).post('/s/test-survey').type('form').send({ lang: 'es', 'q:interests': 'job-skills', 'q:name': 'Zoë' })],
      ['with a malformed one (sid[$ne]=x)', () => request(app).post('/s/test-survey').type('form').send('sid[$ne]=x&lang=es&q:interests=job-skills&q:name=Zo%C3%AB')],
      ['with a too short one (sid=abc)', () => request(app).post('/s/test-survey').type('form').send('sid=abc&lang=es&q:interests=job-skills&q:name=Zo%C3%AB')],
    ];
    for (const [what, send] of refused) {
      it(`POST ${what}: 400, the form back in Spanish with what was typed, a banner and a fresh id; nothing stored`, async () => {
        const res = await send().expect(400);
        const $ = cheerio.load(res.text);
        expect($('html').attr('lang')).to.equal('es');
        expect($('#q-name-input').val()).to.equal('Zoë');
        expect(res.text).to.contain('llegó sin su número de envío');
        expect(String($('input[name=sid]').val())).to.match(/^[A-Za-z0-9_-]{16,64}$/);
        expect(await counts()).to.deep.equal({ responses: 0, spam: 0, contacts: 0 });
      });
    }

    it('POST to the kiosk without a submission id: 303 to the form, shown 400 in Spanish with what was typed, the banner and a fresh id; nothing stored', async () => {
      const step = await request(app).post('/kiosk/test-survey/answer').type('form').send({ lang: 'es', 'q:interests': 'job-skills', 'q:name': 'Zoë' }).expect(303);
      const res = await follow(app, step);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('es');
      expect($('#q-name-input').val()).to.equal('Zoë');
      expect(res.text).to.contain('llegó sin su número de envío');
      expect(String($('input[name=sid]').val())).to.match(/^[A-Za-z0-9_-]{16,64}$/);
      expect(await counts()).to.deep.equal({ responses: 0, spam: 0, contacts: 0 });
    });

    it('POST without a submission id asking for JSON (the offline queue): 400 with code submissionMissing', async () => {
      const res = await request(app).post('/s/test-survey').type('form').set('Accept', 'application/json').send({ lang: 'en', 'q:interests': 'job-skills' }).expect(400);
      expect(res.body.error.code).to.equal('submissionMissing');
      expect(await counts()).to.deep.equal({ responses: 0, spam: 0, contacts: 0 });
    });

    it('GET the form and the kiosk form: each carries a submission id', async () => {
      for (const path of ['/s/test-survey', '/kiosk/test-survey/answer']) {
        expect(String(cheerio.load((await request(app).get(path).expect(200)).text)('input[name=sid]').val()), path).to.match(/^[A-Za-z0-9_-]{16,64}$/);
      }
    });
  });

  describe('a failed store keeps what was typed (part 5)', () => {
    /** A real failure from the real database while storing: a command it does not know. */
    const serverFails = (): void => {
      faultHooks.beforeInsert = async () => {
        await mongoose.connection.db!.command({ notARealCommand: 1 });
      };
    };

    it('POST while the database answers the store with an error: 503 with the whole form as typed (no JavaScript), same id, nothing stored', async () => {
      serverFails();
      const res = await request(app).post('/s/test-survey').type('form').send(form('store-fails-00000001', { lang: 'es', 'q:name': 'Zoë', 'contact:email': 'zoe@example.org', 'contact:consent': 'yes' })).expect(503);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang')).to.equal('es');
      expect($('#q-name-input').val()).to.equal('Zoë');
      expect($('#q-interests-job-skills').attr('checked')).to.not.equal(undefined);
      expect($('#contact-email').val()).to.equal('zoe@example.org');
      expect($('input[name=sid]').val()).to.equal('store-fails-00000001');
      expect(await counts()).to.deep.equal({ responses: 0, spam: 0, contacts: 0 });
    });

    it('POST from the offline queue (JSON) while the store fails: 503 unavailable with Retry-After, which the queue keeps and retries; the retry is stored once', async () => {
      serverFails();
      const res = await request(app).post('/kiosk/test-survey/answer').type('form').set('Accept', 'application/json').send(form('store-fails-00000002')).expect(503);
      expect(res.body.error.code).to.equal('unavailable');
      expect(res.headers['retry-after']).to.equal('30');
      faultHooks.beforeInsert = undefined;
      await request(app).post('/kiosk/test-survey/answer').type('form').set('Accept', 'application/json').send(form('store-fails-00000002')).expect(200);
      expect(await counts()).to.deep.equal({ responses: 1, spam: 0, contacts: 0 });
    });
  });
});
