import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { BadRequestError } from '../errors.js';

/**
 * Fields a form sends more than once: checkbox groups and multiple selects (survey languages,
 * default languages, partner topics, poster languages, condition answers), answers to
 * multiple-choice questions (`q:<id>`) and dashboard filters (`q.<id>`). Every other field is
 * one string.
 */
const LIST_FIELDS: ReadonlySet<string> = new Set(['languages', 'defaultLanguages', 'topics', 'langs', 'anyOf']);
const LIST_PREFIXES = ['q:', 'q.'];
const isListField = (name: string): boolean => LIST_FIELDS.has(name) || LIST_PREFIXES.some((p) => name.startsWith(p));

/**
 * What any request body or query string of this app is: the fields of an HTML form. Names are
 * text that never starts with `$` (no operator can come from a name); values are strings, or
 * lists of strings for the list fields above. Nested objects (JSON, `a[b]` names in multipart
 * forms) and numbers, booleans or null are not form fields. Each route then checks its own
 * fields (the services' zod schemas); this is the shape every one of them can rely on.
 */
export const FormFields = z
  .record(
    z.string().max(300).refine((name) => !name.startsWith('$'), 'field names never start with "$"'),
    z.union([z.string(), z.array(z.string()).max(400)]),
  )
  .superRefine((fields, ctx) => {
    for (const [name, value] of Object.entries(fields)) {
      if (Array.isArray(value) && !isListField(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'one value expected' });
    }
  });

/** True when `fields` (a parsed body or query; undefined when there was none) has the shape of form fields. */
export function isFormShaped(fields: unknown): boolean {
  if (fields === undefined) return true;
  // Validation only: the parsed copy is never used, so the request keeps exactly what was sent.
  return FormFields.safeParse(fields).success;
}

/** Checks `req.body` and `req.query`; anything else answers 400 badRequest before any route reads it. */
export function formShape(req: Request, _res: Response, next: NextFunction): void {
  if (!isFormShaped(req.query) || !isFormShaped(req.body)) return next(new BadRequestError('badRequest', 'the request is not form fields'));
  next();
}
