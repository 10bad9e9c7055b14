// Respondent pages: requests per second (EJS view cache on) and what a first visit downloads,
// gzip-compressed: the HTML plus every stylesheet, script (and the modules it imports), font and icon.
import http from 'node:http';
import zlib from 'node:zlib';
import * as cheerio from 'cheerio';
import { httpLoad, type LoadResult } from './lib/load.js';

export interface Asset {
  url: string;
  kind: 'html' | 'css' | 'js' | 'font' | 'icon' | 'other';
  status: number;
  encoding: string;
  /** Bytes of the body on the wire (compressed when the server compressed it). */
  bytes: number;
  /** Bytes once decompressed. */
  rawBytes: number;
}

export interface PageWeight {
  path: string;
  assets: Asset[];
  totalBytes: number;
  largestScript: Asset | null;
  /** Script URLs whose address or content mentions "chart". */
  chartScripts: string[];
}

function get(url: URL): Promise<{ status: number; encoding: string; wire: Buffer; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'gzip', 'accept-language': 'en' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const wire = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? 'identity');
          const raw = encoding === 'gzip' ? zlib.gunzipSync(wire) : wire;
          resolve({ status: res.statusCode ?? 0, encoding, wire, text: raw.toString('utf8') });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const FONT = /\.(woff2?|ttf|otf|eot)(\?|$)/i;

function kindOf(url: URL, hint?: Asset['kind']): Asset['kind'] {
  if (hint) return hint;
  if (FONT.test(url.pathname)) return 'font';
  if (url.pathname.endsWith('.css')) return 'css';
  if (/\.m?js$/.test(url.pathname)) return 'js';
  return 'other';
}

/** References inside a stylesheet (fonts, images, @import) or a script module (static and dynamic imports). */
function references(kind: Asset['kind'], text: string): string[] {
  if (kind === 'css') return [...text.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]/g)].map((m) => (m[1] ?? m[2])!).filter((u) => !u.startsWith('data:'));
  if (kind === 'js') return [...text.matchAll(/\bimport\s*(?:[\w*{}\s,$]+from\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
  return [];
}

/** Downloads a page and everything it references (same origin), the way a first visit would. */
export async function pageWeight(baseUrl: string, path: string): Promise<PageWeight> {
  const pageUrl = new URL(path, baseUrl);
  const seen = new Set<string>();
  const assets: Asset[] = [];
  const queue: { url: URL; kind?: Asset['kind'] }[] = [{ url: pageUrl, kind: 'html' }];
  const texts = new Map<string, string>();
  while (queue.length) {
    const { url, kind: hint } = queue.shift()!;
    if (url.origin !== pageUrl.origin || seen.has(url.href)) continue;
    seen.add(url.href);
    const res = await get(url);
    const kind = kindOf(url, hint);
    assets.push({ url: url.pathname + url.search, kind, status: res.status, encoding: res.encoding, bytes: res.wire.length, rawBytes: Buffer.byteLength(res.text) });
    if (res.status >= 400) continue;
    texts.set(url.href, res.text);
    if (kind === 'html') {
      const $ = cheerio.load(res.text);
      $('link[href]').each((_, el) => {
        const rel = ($(el).attr('rel') ?? '').toLowerCase();
        const as = ($(el).attr('as') ?? '').toLowerCase();
        const k: Asset['kind'] | undefined = /stylesheet/.test(rel) ? 'css' : /icon/.test(rel) ? 'icon' : rel === 'modulepreload' || as === 'script' ? 'js' : as === 'font' ? 'font' : undefined;
        if (k || /preload|manifest/.test(rel)) queue.push({ url: new URL($(el).attr('href')!, url), ...(k ? { kind: k } : {}) });
      });
      $('script[src]').each((_, el) => void queue.push({ url: new URL($(el).attr('src')!, url), kind: 'js' }));
      $('img[src]').each((_, el) => void queue.push({ url: new URL($(el).attr('src')!, url) }));
    } else {
      for (const ref of references(kind, res.text)) queue.push({ url: new URL(ref, url), ...(kind === 'js' && !FONT.test(ref) ? { kind: 'js' as const } : {}) });
    }
  }
  const scripts = assets.filter((a) => a.kind === 'js' && a.status < 400);
  return {
    path,
    assets,
    totalBytes: assets.filter((a) => a.status < 400).reduce((s, a) => s + a.bytes, 0),
    largestScript: scripts.reduce<Asset | null>((max, a) => (!max || a.bytes > max.bytes ? a : max), null),
    chartScripts: scripts.filter((a) => /chart/i.test(a.url) || /chart/i.test(texts.get(new URL(a.url, pageUrl).href) ?? '')).map((a) => a.url),
  };
}

/** GET requests per second for a page (gzip accepted, as browsers do). */
export function pageLoad(baseUrl: string, path: string, connections: number, durationS: number): Promise<LoadResult> {
  return httpLoad(`GET ${path}`, { url: new URL(path, baseUrl).href, connections, duration: durationS, headers: { 'accept-encoding': 'gzip', 'accept-language': 'en' } });
}
