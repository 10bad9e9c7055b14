import { ValidationError } from '../server/errors.js';
import type { SurveyDefinition } from './definition.schema.js';

/** Parses an uploaded definition file; a file that is not JSON is a problem with the file field, with the parser's detail. */
export function parseDefinitionJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError([{ field: 'definition', code: 'malformedJson', params: { detail: (err as Error).message } }], 'malformedJson');
  }
}

/** A definition as a file: the same JSON format uploads take (and the built-in template uses). */
export function definitionFile(def: SurveyDefinition): Buffer {
  return Buffer.from(`${JSON.stringify(def, null, 2)}\n`, 'utf8');
}
