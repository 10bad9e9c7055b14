import zlib from 'node:zlib';
import { expect } from 'chai';
import { FormPageCache, surveyContentKey, type PerRequestParts } from '../../../server/form-page-cache.js';
import { gzipJoin, prepareGzip } from '../../../server/gzip-parts.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import type { SurveySnapshot } from '../../../surveys/survey.service.js';

const VALUES: PerRequestParts = { submissionId: '6f1c2b4e-0d8a-4c1e-9b7a-3e5f2a1d0c9b', formToken: '1796300000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ' };

/** A render that counts its calls and puts the given values where a form would. */
function renderer(body = 'Ünïcode – 中文 – العربية'): { render: (v: PerRequestParts) => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    render: async (v) => {
      calls += 1;
      return `<p>${body}</p><input name="sid" value="${v.submissionId}"><input name="ft" value="${v.formToken}"><p>end</p>`;
    },
    calls: () => calls,
  };
}

describe('FormPageCache', () => {
  it('renders a page once and fills each request\'s values into it', async () => {
    const cache = new FormPageCache(10);
    const r = renderer();
    const first = await cache.page('k', VALUES, r.render);
    const other = { submissionId: 'other-submission-id-0001', formToken: '1.x' };
    const second = await cache.page('k', other, r.render);
    expect(r.calls()).to.equal(1);
    expect(first.text()).to.equal(await renderer().render(VALUES));
    expect(second.text()).to.equal(await renderer().render(other));
  });

  it('a burst of requests for a new page renders it once', async () => {
    const cache = new FormPageCache(10);
    const r = renderer();
    const pages = await Promise.all(Array.from({ length: 25 }, (_, i) => cache.page('k', { ...VALUES, submissionId: `burst-submission-${String(i).padStart(4, '0')}` }, r.render)));
    expect(r.calls()).to.equal(1);
    expect(new Set(pages.map((p) => p.text())).size).to.equal(25);
  });

  it('keeps at most maxPages pages, dropping the least recently used', async () => {
    const cache = new FormPageCache(2);
    const r = renderer();
    for (const key of ['a', 'b', 'a', 'c']) await cache.page(key, VALUES, r.render);
    expect([cache.size, r.calls()]).to.deep.equal([2, 3]);
    await cache.page('a', VALUES, r.render);
    expect(r.calls()).to.equal(3);
    await cache.page('b', VALUES, r.render);
    expect([cache.size, r.calls()]).to.deep.equal([2, 4]);
  });

  it('text that holds an earlier render\'s placeholder is shown as typed: each render has its own', async () => {
    const cache = new FormPageCache(10);
    let earlier: PerRequestParts | undefined;
    await cache.page('v1', VALUES, async (v) => {
      earlier = v;
      return `<input name="sid" value="${v.submissionId}">`;
    });
    const typed = `${earlier!.submissionId} ${earlier!.formToken}`;
    const next = await cache.page('v2', VALUES, async (v) => `<label>${typed}</label><input name="sid" value="${v.submissionId}">`);
    expect(next.text()).to.equal(`<label>${typed}</label><input name="sid" value="${VALUES.submissionId}">`);
  });

  it('refuses values that would need escaping', async () => {
    const cache = new FormPageCache(10);
    let error: unknown;
    await cache.page('k', { ...VALUES, submissionId: '"><script>' }, renderer().render).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(TypeError);
  });

  it('size 0 renders every page afresh and leaves compression to the middleware', async () => {
    const cache = new FormPageCache(0);
    const r = renderer();
    await cache.page('k', VALUES, r.render);
    const page = await cache.page('k', VALUES, r.render);
    expect([r.calls(), cache.size, page.gzip()]).to.deep.equal([2, 0, null]);
  });

  it('the gzip answer unzips (checksum and length checked) to exactly the text answer', async () => {
    const page = await new FormPageCache(10).page('k', VALUES, renderer().render);
    expect(zlib.gunzipSync(page.gzip()!).toString('utf8')).to.equal(page.text());
  });
});

describe('gzipJoin', () => {
  it('joins texts compressed once with values between them: empty texts and values, long and multi-byte texts', () => {
    for (const [texts, values] of [
      [['a', '', 'b'], ['', 'x']],
      [['only'], []],
      [['', ''], ['value']],
      [['é'.repeat(30_000), 'b'.repeat(70_000), ''], ['1', '2']],
    ] as [string[], string[]][]) {
      const joined = gzipJoin(prepareGzip(texts), values);
      expect(zlib.gunzipSync(joined).toString('utf8')).to.equal(texts.reduce((all, t, i) => all + values[i - 1]! + t));
    }
  });
});

describe('surveyContentKey', () => {
  const snapshot = (definition: object, hiddenLanguages?: string[]): SurveySnapshot =>
    ({ slug: 's', status: 'open', version: 3, analysis: {}, definition: definition as SurveyDefinition, ...(hiddenLanguages ? { hiddenLanguages } : {}) }) as SurveySnapshot;

  it('changes with the definition and the hidden languages, not with the snapshot object', () => {
    const def = { title: { en: 'A' }, languages: ['en', 'es'] };
    const key = surveyContentKey(snapshot(def));
    expect(surveyContentKey(snapshot({ ...def }))).to.equal(key);
    expect(surveyContentKey(snapshot({ ...def, title: { en: 'B' } }))).to.not.equal(key);
    expect(surveyContentKey(snapshot(def, ['es']))).to.not.equal(key);
    expect(key).to.match(/^s@3#/);
  });
});
