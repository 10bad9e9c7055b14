import { expect } from 'chai';
import type { Document } from 'mongodb';
import request from 'supertest';
import { insertResponse, ResponseModel, type NewResponse } from '../../surveys/response.model.js';
import { SubmissionKeyModel } from '../../surveys/submission-key.model.js';
import { recordStored } from '../../surveys/submission-keys.js';
import { clearDatabase } from '../helpers/db.js';
import { useTestApp } from '../helpers/hooks.js';
import { buildSurvey } from '../fixtures/builders.js';

/** A response exactly as the database holds it (no Mongoose casting on the way out). */
async function storedRaw(submissionId: string): Promise<Document> {
  const doc = await ResponseModel.collection.findOne({ submissionId });
  expect(doc, submissionId).to.not.equal(null);
  return doc!;
}

/**
 * What `ResponseModel.create` stores for the same values (what submissions stored before they
 * were inserted without a Mongoose document): field order, types and values must all match.
 */
async function storedByModel(submitted: Document): Promise<Document> {
  const { _id, ...fields } = submitted;
  void _id;
  await ResponseModel.create({ ...fields, submissionId: 'stored-by-the-model-0001' });
  return storedRaw('stored-by-the-model-0001');
}

function expectSameDocument(submitted: Document, byModel: Document): void {
  expect(Object.keys(submitted)).to.deep.equal(Object.keys(byModel));
  expect(submitted._id).to.equal(submitted.submissionId);
  expect(submitted.submittedAt).to.be.instanceOf(Date);
  expect({ ...submitted, _id: null, submissionId: null }).to.deep.equal({ ...byModel, _id: null, submissionId: null });
}

describe('stored response document', () => {
  const ctx = useTestApp(buildSurvey, { KIOSK_LOCATION: 'Main Branch' });

  it('POST /s/test-survey with a tag, "other" text and a number stores the document the Mongoose model would store', async () => {
    const form = { sid: 'doc-shape-web-000001', lang: 'es', ch: 'flyer', 'q:interests': ['job-skills', 'other'], 'other:interests': 'Chess club', 'rank:priorities:1': 'coding-tech', 'q:children': 'no', 'q:household': '3' };
    await request(ctx.app).post('/s/test-survey').type('form').send(form).expect(303);
    const submitted = await storedRaw('doc-shape-web-000001');
    expect(submitted).to.include({ tag: 'flyer', surveyVersion: 1, channel: 'web' });
    expect(submitted.other).to.deep.equal({ interests: 'Chess club' });
    expectSameDocument(submitted, await storedByModel(submitted));
  });

  it('POST /kiosk/test-survey/answer with a location and no optional answers stores the document the Mongoose model would store', async () => {
    await request(ctx.app).post('/kiosk/test-survey/answer').type('form').send({ sid: 'doc-shape-kiosk-00001', lang: 'en', location: 'Main Branch', 'q:interests': 'job-skills' }).expect(303);
    const submitted = await storedRaw('doc-shape-kiosk-00001');
    expect(submitted).to.include({ location: 'Main Branch', channel: 'kiosk' });
    expect(submitted.other).to.deep.equal({});
    expectSameDocument(submitted, await storedByModel(submitted));
  });
});

describe('responses inserted together (group commit)', () => {
  beforeEach(clearDatabase);

  const response = (submissionId: string, lang = 'en'): NewResponse => ({
    surveySlug: 'grouped',
    surveyVersion: 1,
    submissionId,
    fingerprint: `fp-${submissionId}`,
    answers: { interests: ['job-skills'] },
    other: {},
    lang,
    channel: 'web',
    submittedAt: new Date('2026-03-02T10:00:00Z'),
  });

  it('12 inserts at once, one reusing a stored id and two sharing a new one: each gets its own outcome (stored, or 11000 for its own document) and the others are all stored', async () => {
    await insertResponse(response('grouped-existing-000001'));
    const ids = Array.from({ length: 9 }, (_, i) => `grouped-new-${String(i).padStart(10, '0')}`);
    const outcomes = await Promise.allSettled([
      ...ids.map((id) => insertResponse(response(id))),
      insertResponse(response('grouped-existing-000001', 'es')),
      insertResponse(response('grouped-twice-00000001')),
      insertResponse(response('grouped-twice-00000001', 'vi')),
    ]);
    expect(outcomes.slice(0, 9).map((o) => o.status)).to.deep.equal(ids.map(() => 'fulfilled'));
    const reused = outcomes[9]!;
    expect(reused.status).to.equal('rejected');
    expect((reused as PromiseRejectedResult).reason.code).to.equal(11000);
    const twice = outcomes.slice(10).map((o) => (o.status === 'rejected' ? (o.reason as { code?: number }).code : 'stored'));
    expect(twice.sort()).to.deep.equal([11000, 'stored'].sort());
    expect(await ResponseModel.countDocuments({ surveySlug: 'grouped' })).to.equal(11);
    expect((await ResponseModel.findOne({ submissionId: 'grouped-existing-000001' }).lean())!.lang).to.equal('en');
  });

  it('10 submission keys recorded at once, one already there and two the same: each caller learns whether its key was new, and every key is stored once', async () => {
    expect(await recordStored('grouped', 'key-existing-0000001', 'fp')).to.equal(true);
    const ids = Array.from({ length: 7 }, (_, i) => `key-new-${String(i).padStart(12, '0')}`);
    const outcomes = await Promise.all([...ids.map((id) => recordStored('grouped', id, 'fp')), recordStored('grouped', 'key-existing-0000001', 'fp'), recordStored('grouped', 'key-twice-000000001', 'fp'), recordStored('grouped', 'key-twice-000000001', 'fp')]);
    expect(outcomes.slice(0, 7)).to.deep.equal(ids.map(() => true));
    expect(outcomes[7], 'the key already there').to.equal(false);
    expect(outcomes.slice(8).sort()).to.deep.equal([false, true]);
    expect(await SubmissionKeyModel.countDocuments()).to.equal(9);
  });
});
