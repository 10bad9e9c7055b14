import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';

/**
 * The answers so far of a form filled in without JavaScript on a kiosk or a shared computer,
 * carried from a step's post to the page it redirects to (post/redirect/get), so that no page in
 * the history answers a post. It lives only in the browser, sealed; nothing is stored on the server.
 */
export const FormStateSchema = z.strictObject({
  /** The survey and channel it belongs to (also bound into the seal). */
  slug: z.string(),
  channel: z.enum(['web', 'kiosk']),
  /** When it stops counting (ms since the epoch), whatever the cookie's own lifetime. */
  expires: z.number(),
  submissionId: z.string(),
  /** The page shown after the step (0-based) and the furthest page reached (completion funnel). */
  page: z.number().int().min(0),
  reached: z.number().int().min(0),
  lang: z.string(),
  /** The form's signed display time, kept so the spam check sees the whole filling. */
  formToken: z.string(),
  values: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  problems: z.array(z.strictObject({ field: z.string(), code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })).optional(),
  banner: z.string().optional(),
  status: z.number().int().optional(),
});
export type FormState = z.infer<typeof FormStateSchema>;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far above any form the body parser accepts (64 KB): a bound on inflating, not a limit people meet. */
const MAX_PLAIN_BYTES = 256 * 1024;

/**
 * Deflates and seals a state with AES-256-GCM: base64url of nonce, tag and ciphertext. `bound`
 * (survey and channel) is authenticated with it, so a state is never read by another form.
 */
export function sealState(key: Buffer, bound: string, state: FormState): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(bound, 'utf8'));
  const sealed = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(JSON.stringify(state), 'utf8'))), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** The state a seal holds, or null when it is altered, sealed for another form, malformed or expired. */
export function openState(key: Buffer, bound: string, sealed: string, now: number): FormState | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(bound, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    const parsed = FormStateSchema.safeParse(JSON.parse(inflateRawSync(plain, { maxOutputLength: MAX_PLAIN_BYTES }).toString('utf8')));
    return parsed.success && parsed.data.expires > now ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A sealed value in cookie-sized pieces; the first says how many there are (`3.…`), so a piece
 * left over from a longer state is never read with a shorter one.
 */
export function splitSealed(sealed: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < sealed.length; at += size) pieces.push(sealed.slice(at, at + size));
  const count = Math.max(pieces.length, 1);
  return [`${count}.${pieces[0] ?? ''}`, ...pieces.slice(1)];
}

/** The sealed value from its pieces (`piece(i)`), or null when one is missing or malformed. */
export function joinSealed(piece: (index: number) => string | undefined, most: number): string | null {
  const first = /^(\d{1,2})\.([A-Za-z0-9_-]*)$/.exec(piece(0) ?? '');
  const count = first ? Number(first[1]) : 0;
  if (!first || count < 1 || count > most) return null;
  const rest: string[] = [];
  for (let i = 1; i < count; i++) {
    const p = piece(i);
    if (p === undefined || !/^[A-Za-z0-9_-]+$/.test(p)) return null;
    rest.push(p);
  }
  return first[2] + rest.join('');
}
