import { z } from 'zod';
import { ConflictError, ValidationError } from '../server/errors.js';
import { isLanguageCode } from './languages.js';
import { isSubmissionId, submitResponse, SubmissionInvalidError } from './response.service.js';
import { findSurvey } from './survey.service.js';

/** The file a kiosk or phone exports from its offline queue (public/js/offline-queue.js). */
const QueueFile = z.object({
  format: z.literal('community-needs-queue'),
  version: z.literal(1),
  items: z
    .array(z.object({ sid: z.string().max(64), action: z.string().max(300), body: z.string().max(64 * 1024) }).passthrough())
    .max(20000),
});

const ACTION = /^(?:https?:\/\/[^/]+)?\/(?:s\/([a-z0-9-]{2,60})|kiosk\/([a-z0-9-]{2,60})\/answer)$/;

export interface QueueImportResult {
  stored: number;
  duplicate: number;
  rejected: number;
}

function formBody(encoded: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(encoded)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Imports a queue file as a last resort, each item exactly as the device would have sent it:
 * answers already received are recognised by their submission id and not stored twice.
 * Responses are stored at import time, like any submission the server receives.
 */
export async function importQueueFile(json: unknown, contactKey: string): Promise<QueueImportResult> {
  const parsed = QueueFile.safeParse(json);
  if (!parsed.success) throw new ValidationError([{ field: 'file', code: 'badFile' }], 'badFile');
  const result: QueueImportResult = { stored: 0, duplicate: 0, rejected: 0 };
  for (const item of parsed.data.items) {
    const m = ACTION.exec(item.action.split('?')[0] ?? '');
    const body = formBody(item.body);
    const slug = m?.[1] ?? m?.[2];
    const survey = slug ? await findSurvey(slug) : null;
    if (!survey || !isSubmissionId(body.sid) || body.sid !== item.sid) {
      result.rejected++;
      continue;
    }
    const kiosk = Boolean(m?.[2]);
    const lang = isLanguageCode(body.lang) ? body.lang : (survey.definition.defaultLanguage as never);
    try {
      const r = await submitResponse({
        survey,
        body,
        submissionId: body.sid,
        contactKey,
        lang,
        channel: kiosk ? 'kiosk' : 'web',
        ...(kiosk && typeof body.location === 'string' ? { location: body.location.slice(0, 60) } : {}),
        ...(typeof body.ch === 'string' && /^[a-z0-9][a-z0-9-]{0,39}$/i.test(body.ch) ? { tag: body.ch.toLowerCase() } : {}),
      });
      if (r.duplicate) result.duplicate++;
      else result.stored++;
    } catch (err) {
      if (err instanceof SubmissionInvalidError || err instanceof ConflictError) result.rejected++;
      else throw err;
    }
  }
  return result;
}
