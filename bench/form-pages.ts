// The respondent form under many clients at once: GET /s/<slug> at 200 concurrent connections,
// and in the same run, from the same app process, a bare Express route answering "hello". The
// hello route is this machine's ceiling for any Express answer while autocannon shares its cores,
// so the form's rate is also reported as a share of it (a figure that travels between machines).
import * as cheerio from 'cheerio';
import { FORM_TOKEN_FIELD } from '../surveys/spam-token.js';
import { steadyHttpLoad, type SteadyLoadResult } from './lib/load.js';

export interface FormPageResults {
  path: string;
  form: SteadyLoadResult;
  hello: SteadyLoadResult;
  /** Form pages/s ÷ hello answers/s. */
  ratio: number;
  /** Two form pages fetched before the load carried different submission ids, each with a form token. */
  distinctPerRequestParts: boolean;
}

/** Browsers accept gzip; the language is fixed so every request asks for the same page. */
const HEADERS = { 'accept-encoding': 'gzip', 'accept-language': 'en' };
/** Seconds of load before the measured window (JIT, the app's caches), on the same connections. */
const WARM_UP_S = 3;

async function perRequestParts(url: string): Promise<{ sid: string; token: string }> {
  const res = await fetch(url, { headers: { 'accept-language': 'en' } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const $ = cheerio.load(await res.text());
  return { sid: String($('input[name=sid]').val() ?? ''), token: String($(`input[name=${FORM_TOKEN_FIELD}]`).val() ?? '') };
}

/**
 * Loads the hello route, then the form page, with `connections` clients each: a warm-up, then a
 * window of `durationS` seconds once every client is answered (see steadyHttpLoad).
 */
export async function formPageBench(opts: { baseUrl: string; helloUrl: string; path: string; connections: number; durationS: number }): Promise<FormPageResults> {
  const formUrl = new URL(opts.path, opts.baseUrl).href;
  const helloUrl = new URL('/hello', opts.helloUrl).href;
  const [a, b] = [await perRequestParts(formUrl), await perRequestParts(formUrl)];
  const distinctPerRequestParts = Boolean(a.sid && a.token && b.token && a.sid !== b.sid);
  const run = (label: string, url: string): Promise<SteadyLoadResult> => steadyHttpLoad(label, { url, connections: opts.connections, duration: opts.durationS, headers: HEADERS }, WARM_UP_S);
  const hello = await run('GET /hello (bare Express)', helloUrl);
  const form = await run(`GET ${opts.path}`, formUrl);
  return { path: opts.path, form, hello, ratio: form.perSecond / hello.perSecond, distinctPerRequestParts };
}
