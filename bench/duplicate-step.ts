// The `duplicate` step of `npm run bench`: what a resent submission costs beside a new one at a
// size. Over HTTP against the app (as the offline queue posts: Accept: application/json), a new
// submission, then the same body again (same sid: the app answers "duplicate" without storing
// it), in pairs so both see the same moment of the machine; median of each. They go to the
// built-in survey, so the filled survey's responses and counters stay as they were (--reuse),
// in the same `responses` collection, whose size is what an id look-up may pay for.
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { findSurvey, seedBuiltInSurveys } from '../surveys/survey.service.js';
import { median, now } from './lib/measure.js';
import { answerFields, FORM_SLUG } from './submission.js';

/** Timed pairs wanted; fewer when the time budget runs out first (at least one is always timed). */
export const DUPLICATE_PAIRS = 20;
/** Untimed first: new submissions (JIT, pools, the first counters) and one duplicate (it may read the whole collection). */
const WARM_UP_NEW = 3;

export interface DuplicateFigures {
  ms: number;
  runs: number[];
  parts: Record<string, number>;
  detail: Record<string, unknown>;
}

/** `budgetMs`: stop timing further pairs after this long (a duplicate may read every response on some databases). */
export async function duplicateVsNew(app: Express, budgetMs: number): Promise<DuplicateFigures> {
  await seedBuiltInSurveys();
  const survey = await findSurvey(FORM_SLUG);
  if (!survey) throw new Error(`no survey "${FORM_SLUG}"`);
  const nextAnswers = answerFields(survey.definition, survey.version, 505);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/s/${FORM_SLUG}`;
  const post = async (body: string, expected: 'stored' | 'duplicate'): Promise<number> => {
    const t = now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
    const answer = (await res.json()) as { status?: string };
    const ms = now() - t;
    if (res.status !== 200 || answer.status !== expected) throw new Error(`expected 200 "${expected}", got ${res.status} ${JSON.stringify(answer)}`);
    return ms;
  };
  const newBody = (): string => new URLSearchParams([['sid', randomUUID()], ...nextAnswers()]).toString();
  const pair = async (): Promise<[number, number]> => {
    const body = newBody();
    return [await post(body, 'stored'), await post(body, 'duplicate')];
  };
  try {
    const first = newBody();
    await post(first, 'stored');
    for (let i = 1; i < WARM_UP_NEW; i++) await post(newBody(), 'stored');
    await post(first, 'duplicate');
    const started = now();
    const fresh: number[] = [];
    const dup: number[] = [];
    while (fresh.length < DUPLICATE_PAIRS && (fresh.length === 0 || now() - started < budgetMs)) {
      const [a, b] = await pair();
      fresh.push(a);
      dup.push(b);
    }
    const [newMs, duplicateMs] = [median(fresh), median(dup)];
    return { ms: duplicateMs, runs: dup, parts: { newMs, duplicateMs, ratio: duplicateMs / newMs }, detail: { pairs: fresh.length, newRuns: fresh, budgetMs } };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
