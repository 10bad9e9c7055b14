import { createHmac } from 'node:crypto';
import type { Config } from './config.js';
import { sessionSecret } from './middleware/session.js';

const secrets = new WeakMap<Config, string>();

/**
 * The key for the form timestamps and the hashed addresses of the rate limits: FORM_SECRET, or
 * one derived from the session secret (kept in the data folder), so it survives restarts and is
 * the same on every instance that shares the secret. Derived, so neither use reveals the other.
 */
export function formSecret(config: Config): string {
  let secret = secrets.get(config);
  if (!secret) {
    secret = config.FORM_SECRET ?? createHmac('sha256', sessionSecret(config)).update('community-needs form and rate-limit key').digest('hex');
    secrets.set(config, secret);
  }
  return secret;
}

/**
 * The key of follow-up contact ids (surveys/contact.service.ts): derived from the form secret
 * for this one use, so a contact id reveals neither it nor the submission it came with.
 */
export function contactIdKey(config: Config): string {
  return createHmac('sha256', formSecret(config)).update('community-needs contact id key').digest('hex');
}

const stateKeys = new WeakMap<Config, Buffer>();

/**
 * The AES-256 key that seals the answers so far of a form filled in without JavaScript on a kiosk
 * or shared computer (server/form-state.ts): derived from the form secret for this one use.
 */
export function formStateKey(config: Config): Buffer {
  let key = stateKeys.get(config);
  if (!key) {
    key = createHmac('sha256', formSecret(config)).update('community-needs form state key').digest();
    stateKeys.set(config, key);
  }
  return key;
}
