import { readFileSync } from 'node:fs';
import type { FieldProblem } from '../server/errors.js';
import { fromRoot } from '../server/paths.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * `surveys/data/common-passwords.txt`: one lower-cased password a line, the ones at least
 * 12 characters long from the usual breached-password top lists and their common variants,
 * and famous passphrases (`correcthorsebatterystaple`, `maytheforcebewithyou`) written without
 * spaces (shorter ones are refused by length anyway). Read once, on first use.
 */
let common: ReadonlySet<string> | undefined;

export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const lines = readFileSync(fromRoot('surveys', 'data', 'common-passwords.txt'), 'utf8').split('\n');
    const set = new Set(lines.map((l) => l.trim().toLowerCase()).filter(Boolean));
    if (set.size < 1000) throw new Error('surveys/data/common-passwords.txt is missing or too short');
    common = set;
  }
  return common;
}

/** Letters and digits only, lower-cased: "Sam.Jones" and "sam jones" compare equal. */
function letters(s: string): string {
  return s.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}]/gu, '');
}

/** True when `s` is `unit` written one or more times over ("adaada", "aaaa"). */
function repeats(s: string, unit: string): boolean {
  return unit.length > 0 && s.length > 0 && s.length % unit.length === 0 && unit.repeat(s.length / unit.length) === s;
}

function smallestUnit(s: string): string {
  for (let n = 1; n <= s.length / 2; n++) if (repeats(s, s.slice(0, n))) return s.slice(0, n);
  return s;
}

/** The person's own identifiers a password must not be made of. */
function identityTokens(who: { email?: unknown; name?: unknown }): string[] {
  const email = typeof who.email === 'string' ? who.email.trim() : '';
  const name = typeof who.name === 'string' ? who.name.trim() : '';
  const local = email.split('@')[0] ?? '';
  return [letters(email), letters(local), letters(name), ...name.split(/\s+/).map(letters), ...local.split(/[._+-]/).map(letters)].filter((t) => t.length >= 2);
}

/**
 * Checks a new password (OWASP ASVS 2.1): at least 12 characters, not on the common-password
 * list (ignoring case, spaces and punctuation, also when digits are added at the end: a famous
 * passphrase with "1" after it is no stronger), not one character or a short pattern repeated, and not the person's
 * own email, email local part or name (repeated, or followed by digits). Returns the problem,
 * or null when the password is acceptable.
 */
export function passwordProblem(password: unknown, who: { email?: unknown; name?: unknown } = {}, field = 'password'): FieldProblem | null {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return { field, code: 'passwordLength', params: { min: MIN_PASSWORD_LENGTH } };
  }
  const lower = password.toLowerCase();
  const plain = letters(password);
  const withoutDigits = plain.replace(/\d+$/, '');
  const isCommon =
    commonPasswords().has(lower) ||
    commonPasswords().has(plain) ||
    commonPasswords().has(withoutDigits) ||
    plain.length === 0 ||
    smallestUnit(plain).length <= 3 ||
    identityTokens(who).some((t) => repeats(plain, t) || repeats(withoutDigits, t));
  return isCommon ? { field, code: 'passwordCommon' } : null;
}
