import { z } from 'zod';
import type { FieldProblem } from '../server/errors.js';
import { getCatalog } from './catalog.service.js';

/** Where an organization stands with the library, from first idea to a finished partnership. */
export const PARTNER_STATUSES = ['idea', 'contacted', 'active', 'past'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** The fields of the directory, in form and CSV order. */
export const PARTNER_FIELDS = ['name', 'type', 'topics', 'contact', 'email', 'phone', 'website', 'address', 'status', 'notes'] as const;
export type PartnerField = (typeof PARTNER_FIELDS)[number];

export const LIMITS = { name: 200, contact: 200, email: 254, phone: 40, website: 500, address: 500, notes: 5000, programTitle: 200, programNotes: 2000 } as const;

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;
// Digits with the usual separators, an optional leading "+" and an optional extension.
const PHONE = /^\+?[\d\s().\-/]{3,30}(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i;

/** Form and CSV values arrive as strings (or are missing); every text is trimmed. */
const text = (max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : v), z.string({ error: 'text' }).max(max, { error: 'tooLong' }));

/** A website must be http(s); a bare "example.org" is taken as https://example.org. */
export function normalizeWebsite(raw: string): string | null {
  if (!raw) return '';
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) && !/^[^:/]+:\d/.test(raw) ? raw : `https://${raw}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (!url.hostname.includes('.') && url.hostname !== 'localhost') return null;
    return url.href;
  } catch {
    return null;
  }
}

function partnerSchema() {
  const catalog = getCatalog();
  return z.object({
    name: text(LIMITS.name).refine((v) => v.length > 0, { error: 'nameRequired' }),
    type: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().refine((v) => v !== '', { error: 'typeRequired' }).refine((v) => v === '' || catalog.partnerTypes.includes(v), { error: 'typeUnknown' })),
    topics: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.string().refine((v) => catalog.topicIds.has(v), { error: 'topicUnknown' })).max(50, { error: 'topicUnknown' }).transform((list) => [...new Set(list)]),
    ),
    contact: text(LIMITS.contact),
    email: text(LIMITS.email).refine((v) => v === '' || EMAIL.test(v), { error: 'email' }),
    phone: text(LIMITS.phone).refine((v) => v === '' || (PHONE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 3), { error: 'phone' }),
    website: text(LIMITS.website).transform((v, ctx) => {
      const url = normalizeWebsite(v);
      if (url === null) {
        ctx.addIssue({ code: 'custom', message: 'website' });
        return z.NEVER;
      }
      return url;
    }),
    address: text(LIMITS.address),
    status: z.preprocess((v) => (typeof v === 'string' && v.trim() ? v.trim() : 'idea'), z.enum(PARTNER_STATUSES, { error: 'status' })),
    notes: text(LIMITS.notes),
  });
}

/** A checked organization, ready to store. */
export type PartnerInput = z.infer<ReturnType<typeof partnerSchema>>;

export const ProgramInput = z.object({
  date: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { error: 'date' }),
  ),
  title: text(LIMITS.programTitle).refine((v) => v.length > 0, { error: 'titleRequired' }),
  notes: text(LIMITS.programNotes),
});
export type ProgramInput = z.infer<typeof ProgramInput>;

/** The codes this module reports (each is a key under `partners:errors`). */
const CODES = new Set(['nameRequired', 'titleRequired', 'text', 'typeRequired', 'typeUnknown', 'topicUnknown', 'email', 'phone', 'website', 'status', 'date']);

/** Turns zod issues into field problems with stable codes (the issue's message is the code). */
export function toProblems(error: z.ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    const code = issue.code === 'too_big' && field !== 'topics' ? 'tooLong' : CODES.has(issue.message) ? issue.message : 'invalid';
    const params: Record<string, string | number> = {};
    if (issue.code === 'too_big') params.max = Number(issue.maximum);
    problems.push({ field, code, ...(Object.keys(params).length ? { params } : {}) });
  }
  return problems;
}

/** Checks an organization's fields; every problem is reported at once. */
export function checkPartner(input: unknown): { ok: true; value: PartnerInput } | { ok: false; problems: FieldProblem[] } {
  const result = partnerSchema().safeParse(input ?? {});
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: toProblems(result.error) };
}

export function checkProgram(input: unknown): { ok: true; value: ProgramInput } | { ok: false; problems: FieldProblem[] } {
  const result = ProgramInput.safeParse(input ?? {});
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: toProblems(result.error) };
}

/** The key that makes two organizations "the same" on import: the name without case or extra spaces. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
