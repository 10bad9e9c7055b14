import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { joinSealed, openState, sealState, splitSealed, type FormState } from '../../../server/form-state.js';

const KEY = randomBytes(32);
const NOW = 1_800_000_000_000;
const state = (over: Partial<FormState> = {}): FormState => ({
  slug: 'test-survey',
  channel: 'kiosk',
  expires: NOW + 60_000,
  submissionId: 'state-unit-0000000001',
  page: 2,
  reached: 2,
  lang: 'ar',
  formToken: '1.abc',
  values: { 'q:name': 'ليلى', 'q:interests': ['job-skills', 'coding-tech'] },
  ...over,
});

describe('form state sealed for a cookie (server/form-state.ts)', () => {
  it('seal then open with the same key and binding gives the state back; the sealed text is base64url and holds no answer in clear', () => {
    const sealed = sealState(KEY, 'kiosk|test-survey', state());
    expect(sealed).to.match(/^[A-Za-z0-9_-]+$/);
    expect(sealed).to.not.contain('job-skills');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).to.not.contain('job-skills');
    expect(openState(KEY, 'kiosk|test-survey', sealed, NOW)).to.deep.equal(state());
  });

  it('two seals of the same state differ (a fresh nonce each time)', () => {
    expect(sealState(KEY, 'b', state())).to.not.equal(sealState(KEY, 'b', state()));
  });

  it('open gives null for one changed character, another key, another binding (survey or channel), a past expiry, and garbage', () => {
    const sealed = sealState(KEY, 'kiosk|test-survey', state());
    const at = Math.floor(sealed.length / 2);
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(openState(KEY, 'kiosk|test-survey', flipped, NOW)).to.equal(null);
    expect(openState(randomBytes(32), 'kiosk|test-survey', sealed, NOW)).to.equal(null);
    expect(openState(KEY, 'kiosk|other-survey', sealed, NOW)).to.equal(null);
    expect(openState(KEY, 'web|test-survey', sealed, NOW)).to.equal(null);
    expect(openState(KEY, 'kiosk|test-survey', sealed, NOW + 60_000)).to.equal(null);
    for (const junk of ['', 'abc', '%%%', 'A'.repeat(200)]) expect(openState(KEY, 'kiosk|test-survey', junk, NOW), junk).to.equal(null);
  });

  it('a sealed value of the right key but not a state (missing fields) opens as null', () => {
    const odd = sealState(KEY, 'x', { slug: 'test-survey' } as unknown as FormState);
    expect(openState(KEY, 'x', odd, NOW)).to.equal(null);
  });

  it('split into pieces of 10 and joined again gives the same text; the first piece says how many there are', () => {
    const text = 'abcdefghij'.repeat(2) + 'xyz';
    const pieces = splitSealed(text, 10);
    expect(pieces).to.deep.equal(['3.abcdefghij', 'abcdefghij', 'xyz']);
    expect(joinSealed((i) => pieces[i], 3)).to.equal(text);
    expect(splitSealed('short', 10)).to.deep.equal(['1.short']);
  });

  it('join gives null for a missing piece, more pieces than allowed, a malformed count or piece; a leftover piece is not read', () => {
    const pieces = ['3.abc', 'def', 'ghi'];
    expect(joinSealed((i) => (i === 1 ? undefined : pieces[i]), 3)).to.equal(null);
    expect(joinSealed((i) => pieces[i], 2)).to.equal(null);
    expect(joinSealed(() => 'x.abc', 3)).to.equal(null);
    expect(joinSealed((i) => ['2.abc', 'd;f'][i], 3)).to.equal(null);
    expect(joinSealed((i) => ['1.abc', 'left-over'][i], 3)).to.equal('abc');
    expect(joinSealed(() => undefined, 3)).to.equal(null);
  });
});
