import { expect } from 'chai';
import { fromAcceptLanguage, matchLanguageTag } from '../../../server/middleware/language.js';

describe('matchLanguageTag', () => {
  const cases: Array<[string, string | null]> = [
    ['en', 'en'],
    ['es', 'es'],
    ['es-MX', 'es'],
    ['ES-mx', 'es'],
    ['zh-CN', 'zh-Hans'],
    ['zh-TW', 'zh-Hans'],
    ['zh-Hans-CN', 'zh-Hans'],
    ['zh-hans', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['ar-EG', 'ar'],
    ['ht-HT', 'ht'],
    ['vi-VN', 'vi'],
    [' es ', 'es'],
    ['fr', null],
    ['fr-CA', null],
    ['', null],
  ];
  for (const [tag, expected] of cases) {
    it(`sends "${tag}" and gets ${expected === null ? 'null' : `"${expected}"`}`, () => {
      expect(matchLanguageTag(tag)).to.equal(expected);
    });
  }
});

describe('fromAcceptLanguage', () => {
  it('sends "fr;q=1, vi;q=0.8, es;q=0.9" and gets es (highest quality shipped)', () => {
    expect(fromAcceptLanguage('fr;q=1, vi;q=0.8, es;q=0.9')).to.equal('es');
  });

  it('sends "vi, es" without qualities and gets the first listed, vi', () => {
    expect(fromAcceptLanguage('vi, es')).to.equal('vi');
  });

  it('sends "es-MX,es;q=0.9,en;q=0.8" and gets es', () => {
    expect(fromAcceptLanguage('es-MX,es;q=0.9,en;q=0.8')).to.equal('es');
  });

  it('sends "*, ar;q=0.5" and gets ar (the wildcard ignored)', () => {
    expect(fromAcceptLanguage('*, ar;q=0.5')).to.equal('ar');
  });

  it('sends "*" alone and gets null', () => {
    expect(fromAcceptLanguage('*')).to.equal(null);
  });

  it('sends "es;q=0, vi;q=0.1" and gets vi (q=0 ignored)', () => {
    expect(fromAcceptLanguage('es;q=0, vi;q=0.1')).to.equal('vi');
  });

  it('sends "es;q=0" and gets null', () => {
    expect(fromAcceptLanguage('es;q=0')).to.equal(null);
  });

  it('sends "zh-TW; q=0.7, fr" with spaces around parameters and gets zh-Hans', () => {
    expect(fromAcceptLanguage('zh-TW; q=0.7, fr')).to.equal('zh-Hans');
  });

  it('sends an unparseable quality "es;q=abc, vi;q=0.2" and gets vi', () => {
    expect(fromAcceptLanguage('es;q=abc, vi;q=0.2')).to.equal('vi');
  });

  for (const header of [';;;,,,', ',', 'q=0.5', ';q=1', 'en;;q', '=,=;=', 'es-,-', '\u0000\uFFFF', 'x'.repeat(5000)]) {
    it(`sends the malformed header ${JSON.stringify(header.length > 20 ? `${header.slice(0, 20)}…` : header)} and gets null or a shipped language without throwing`, () => {
      let result: string | null | undefined;
      expect(() => (result = fromAcceptLanguage(header))).not.to.throw();
      expect(result === null || ['en', 'es', 'zh-Hans', 'vi', 'ar', 'ht'].includes(result!)).to.equal(true);
    });
  }

  it('sends "en;;q=0.5,,es" with empty parts and gets es (q=1 beats q=0.5)', () => {
    expect(fromAcceptLanguage('en;;q=0.5,,es')).to.equal('es');
  });

  it('sends an empty header and gets null', () => {
    expect(fromAcceptLanguage('')).to.equal(null);
  });

  it('sends no header and gets null', () => {
    expect(fromAcceptLanguage(undefined)).to.equal(null);
  });

  it('sends only unshipped languages and gets null', () => {
    expect(fromAcceptLanguage('fr-FR, de;q=0.9, ja;q=0.8')).to.equal(null);
  });
});
