import { expect } from 'chai';
import { commonPasswords, passwordProblem } from '../../../surveys/password-policy.js';
import { TEST_PASSWORD } from '../../helpers/auth.js';

const code = (password: string, who: { email?: string; name?: string } = {}): string | undefined => passwordProblem(password, who)?.code;

describe('password rules (surveys/password-policy.ts)', () => {
  it('loads the shipped common-password list once: thousands of lower-cased entries, the same Set every time', () => {
    const list = commonPasswords();
    expect(list.size).to.be.greaterThan(2000);
    expect(commonPasswords()).to.equal(list);
    for (const p of list) expect(p, p).to.equal(p.toLowerCase());
  });

  for (const p of ['password1234', 'qwertyuiop12', '123456789012', 'iloveyou1234', 'library12345', 'readingisfun']) {
    it(`refuses the common password "${p}" with passwordCommon`, () => {
      expect(code(p)).to.equal('passwordCommon');
    });
  }

  it('compares ignoring case and punctuation: "PassWord1234", "Reading-Is-Fun" and "Qwertyuiop12" are refused', () => {
    expect(code('PassWord1234')).to.equal('passwordCommon');
    expect(code('Reading-Is-Fun')).to.equal('passwordCommon');
    expect(code('Qwertyuiop12')).to.equal('passwordCommon');
  });

  it('refuses famous passphrases however written: "correct horse battery staple", "CorrectHorseBatteryStaple", "correct-horse-battery-staple", with digits after, and others', () => {
    for (const p of ['correcthorsebatterystaple', 'correct horse battery staple', 'CorrectHorseBatteryStaple', 'correct-horse-battery-staple', 'Correct Horse Battery Staple 1', 'correcthorsebatterystaple2024', 'May the Force be with you', 'the quick brown fox jumps over the lazy dog', 'To be or not to be', 'Keep calm and carry on!']) {
      expect(code(p), p).to.equal('passwordCommon');
    }
  });

  it('refuses one character or a short pattern repeated ("aaaaaaaaaaaa", "abcabcabcabc")', () => {
    expect(code('aaaaaaaaaaaa')).to.equal('passwordCommon');
    expect(code('abcabcabcabc')).to.equal('passwordCommon');
  });

  it("refuses the person's own email local part or name, repeated or followed by digits", () => {
    const who = { email: 'bartholomew.reyes@library.test', name: 'Bartholomew Reyes' };
    expect(code('bartholomew.reyes', who)).to.equal('passwordCommon');
    expect(code('BartholomewBartholomew', who)).to.equal('passwordCommon');
    expect(code('bartholomewreyes2026', who)).to.equal('passwordCommon');
    expect(code('Bartholomew Reyes Bartholomew Reyes', who)).to.equal('passwordCommon');
    expect(code('bartholomew.reyes@library.test', who)).to.equal('passwordCommon');
  });

  it('keeps the length rule first: 11 characters answer passwordLength with the minimum', () => {
    expect(passwordProblem('abcdefghijk')).to.deep.equal({ field: 'password', code: 'passwordLength', params: { min: 12 } });
    expect(passwordProblem(undefined)?.code).to.equal('passwordLength');
    expect(passwordProblem('x'.repeat(257))?.code).to.equal('passwordLength');
  });

  it('accepts a long passphrase and a random password, also for a person whose name is in it', () => {
    expect(passwordProblem(TEST_PASSWORD, { email: 'sam@library.test', name: 'Sam' })).to.equal(null);
    expect(passwordProblem('violet tugboat orbit 42', { email: 'ada@library.test', name: 'Ada' })).to.equal(null);
    expect(passwordProblem('Ada-likes-violet-tugboats', { email: 'ada@library.test', name: 'Ada' })).to.equal(null);
  });
});
