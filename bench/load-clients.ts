// The submitters of `npm run load`: each loads the form (a fresh submission id and signed form
// time), posts it as the offline queue does (Accept: application/json), resends it after a
// failure, and sometimes sends it again on purpose (a retry after an answer, or a double tap:
// two posts at once). What counts is what the app answered, sid by sid.
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD } from '../surveys/spam-token.js';
import { HttpClient, HttpFailure } from './lib/http-client.js';
import { now } from './lib/measure.js';
import { answerFields } from './submission.js';
import { mulberry32 } from '../analytics/seeded-random.js';

export interface ClientOptions {
  baseUrl: string;
  slug: string;
  definition: SurveyDefinition;
  version: number;
  clients: number;
  seconds: number;
  /** Share of submissions sent once more after their answer (a retry whose first attempt landed). */
  retryShare: number;
  /** Share of submissions sent twice at the same moment (a double tap). */
  doubleTapShare: number;
  /** Per request; the offline queue gives up on a post after 15 s (public/js/offline-queue.js). */
  timeoutMs: number;
  /** Seconds between loading the form and posting it (a person filling it in); 0 by default. */
  fillSeconds: number;
}

export interface ClientResults {
  elapsedS: number;
  formLoads: { answered: number; latenciesMs: number[]; statuses: Record<string, number> };
  posts: { sent: number; latenciesMs: number[]; statuses: Record<string, number>; latenciesByAnswer: Record<string, number[]> };
  /** Requests without an answer, by kind (timeout, ECONNRESET, ...), and answers that made no sense. */
  errors: Record<string, number>;
  /** Every sid posted at least once, and those the app acknowledged (200 stored or duplicate). */
  sent: Set<string>;
  acknowledged: Set<string>;
  /** Acknowledgements by status; `storedTwice` counts sids answered `stored` more than once. */
  acks: { stored: number; duplicate: number; storedTwice: number };
  /** Extra posts of an already posted sid: after a failure, after an answer on purpose, double taps. */
  resends: { afterFailure: number; afterAnswer: number; doubleTaps: number };
}

type Outcome = 'acknowledged' | 'retry' | 'final';

const RESEND_AFTER_FAILURE = [500, 1000, 2000];
/** After the run time, resends of unanswered posts may go on this long (the offline queue would keep trying). */
const GRACE_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const bump = (counts: Record<string, number>, key: string): void => void (counts[key] = (counts[key] ?? 0) + 1);

const random = mulberry32;

const hiddenValue = (html: string, name: string): string | undefined => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

export async function runClients(o: ClientOptions): Promise<ClientResults> {
  const http = new HttpClient(o.baseUrl, o.clients * 2);
  const nextAnswers = answerFields(o.definition, o.version, 303);
  const rand = random(404);
  const r: ClientResults = {
    elapsedS: 0,
    formLoads: { answered: 0, latenciesMs: [], statuses: {} },
    posts: { sent: 0, latenciesMs: [], statuses: {}, latenciesByAnswer: {} },
    errors: {},
    sent: new Set(),
    acknowledged: new Set(),
    acks: { stored: 0, duplicate: 0, storedTwice: 0 },
    resends: { afterFailure: 0, afterAnswer: 0, doubleTaps: 0 },
  };
  const storedAnswers = new Map<string, number>();
  const formPath = `/s/${encodeURIComponent(o.slug)}`;
  const started = now();
  const deadline = started + o.seconds * 1000;

  async function loadForm(): Promise<{ sid: string; token: string } | null> {
    try {
      const a = await http.request('GET', formPath, { accept: 'text/html' }, undefined, o.timeoutMs);
      r.formLoads.answered++;
      r.formLoads.latenciesMs.push(a.ms);
      bump(r.formLoads.statuses, String(a.status));
      const sid = hiddenValue(a.body, 'sid');
      const token = hiddenValue(a.body, FORM_TOKEN_FIELD);
      if (a.status === 200 && sid && token !== undefined) return { sid, token };
      if (a.status === 200) bump(r.errors, 'form page without sid or form token');
    } catch (err) {
      bump(r.errors, `form load: ${err instanceof HttpFailure ? err.kind : String(err)}`);
    }
    return null;
  }

  async function post(sid: string, body: string): Promise<Outcome> {
    r.posts.sent++;
    r.sent.add(sid);
    // A failed resend of an id already acknowledged loses nothing; a failed first delivery might.
    const already = r.acknowledged.has(sid) ? ' (resend of an acknowledged id)' : '';
    let a;
    try {
      a = await http.request('POST', formPath, { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, o.timeoutMs);
    } catch (err) {
      bump(r.errors, `${err instanceof HttpFailure ? err.kind : String(err)}${already}`);
      return 'retry';
    }
    r.posts.latenciesMs.push(a.ms);
    let answer: { status?: string; submissionId?: string } = {};
    try {
      answer = JSON.parse(a.body) as typeof answer;
    } catch {
      // Counted below: a 200 must carry JSON.
    }
    const key = a.status === 200 ? `200 ${answer.status ?? 'without status'}` : String(a.status);
    bump(r.posts.statuses, key);
    (r.posts.latenciesByAnswer[key] ??= []).push(a.ms);
    if (a.status === 200) {
      if (answer.submissionId !== sid) {
        bump(r.errors, 'answer names another submissionId');
        return 'final';
      }
      if (answer.status === 'stored' || answer.status === 'duplicate') {
        r.acknowledged.add(sid);
        r.acks[answer.status]++;
        if (answer.status === 'stored') {
          const n = (storedAnswers.get(sid) ?? 0) + 1;
          storedAnswers.set(sid, n);
          if (n === 2) r.acks.storedTwice++;
        }
        return 'acknowledged';
      }
      bump(r.errors, 'answer 200 without stored or duplicate');
      return 'final';
    }
    // What the offline queue resends: over the limit, the database away, any other server error.
    return a.status === 429 || a.status >= 500 ? 'retry' : 'final';
  }

  /** Posts until acknowledged or refused, resending after a failure as the offline queue would. */
  async function deliver(sid: string, body: string): Promise<Outcome> {
    let outcome = await post(sid, body);
    for (const wait of RESEND_AFTER_FAILURE) {
      if (outcome !== 'retry' || now() + wait > deadline + GRACE_MS) break;
      await sleep(wait);
      r.resends.afterFailure++;
      outcome = await post(sid, body);
    }
    return outcome;
  }

  async function client(): Promise<void> {
    while (now() < deadline) {
      const form = await loadForm();
      if (!form) {
        await sleep(200);
        continue;
      }
      if (o.fillSeconds > 0) await sleep(o.fillSeconds * 1000);
      const params = new URLSearchParams({ sid: form.sid, [FORM_TOKEN_FIELD]: form.token, [HONEYPOT_FIELD]: '' });
      for (const [name, value] of nextAnswers()) params.append(name, value);
      const body = params.toString();
      const roll = rand();
      if (roll < o.doubleTapShare) {
        r.resends.doubleTaps++;
        await Promise.all([deliver(form.sid, body), deliver(form.sid, body)]);
      } else if ((await deliver(form.sid, body)) === 'acknowledged' && roll < o.doubleTapShare + o.retryShare) {
        r.resends.afterAnswer++;
        await deliver(form.sid, body);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: o.clients }, () => client()));
  } finally {
    http.close();
  }
  r.elapsedS = (now() - started) / 1000;
  return r;
}
