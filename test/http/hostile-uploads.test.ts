/* eslint-disable no-control-regex -- NUL characters in file names are what these tests send and look for */
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import type { Express } from 'express';
import mongoose from 'mongoose';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { ImportBatchModel } from '../../surveys/import-batch.model.js';
import { UserModel } from '../../surveys/user.model.js';
import { buildTestApp, testI18n } from '../helpers/app.js';
import { csrfFrom, signedInAgent } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { buildZip, XLSX_CONTENT_TYPES, xlsxBomb } from '../helpers/zip.js';
import { buildDefinition, buildSurvey } from '../fixtures/builders.js';
import { HOSTILE_SVG, PNG_SIGNATURE, smallImage } from '../fixtures/images.js';
import { buildPartner } from '../fixtures/partners.js';

type Agent = ReturnType<typeof request.agent>;

/** One upload route: where it posts, its file field, a valid file, its limit, and what a valid file answers. */
interface UploadRoute {
  name: string;
  path: string;
  field: string;
  fields?: Record<string, string>;
  valid: (n: number) => Buffer;
  validStatus: number;
  maxBytes: number;
  /** It takes spreadsheets (XLSX), so a ZIP bomb reaches the ZIP guard. */
  xlsx?: true;
}

const queueFile = (): Buffer => Buffer.from(JSON.stringify({ format: 'community-needs-queue', version: 1, items: [] }));

const ROUTES: UploadRoute[] = [
  { name: 'logo (settings)', path: '/staff/settings/logo', field: 'logo', valid: () => smallImage(), validStatus: 303, maxBytes: 512 * 1024 },
  { name: 'survey definition', path: '/staff/surveys/upload', field: 'definition', fields: { target: 'new' }, valid: (n) => Buffer.from(JSON.stringify(buildDefinition({ slug: `uploaded-${n}` }))), validStatus: 303, maxBytes: 1024 * 1024 },
  { name: 'translations import', path: '/staff/surveys/test-survey/translations/es/import', field: 'file', valid: () => Buffer.from('{"title":"Encuesta"}'), validStatus: 200, maxBytes: 1024 * 1024, xlsx: true },
  { name: 'responses import', path: '/staff/surveys/test-survey/import', field: 'file', fields: { lang: 'en' }, valid: () => Buffer.from('interests,children\njob-skills,no\n'), validStatus: 303, maxBytes: 10 * 1024 * 1024, xlsx: true },
  { name: 'partners import', path: '/staff/partners/import', field: 'file', valid: () => Buffer.from('name,type\nHill Garden,local-businesses\n'), validStatus: 200, maxBytes: 2 * 1024 * 1024 },
  { name: 'offline queue file', path: '/staff/queue/import', field: 'file', valid: queueFile, validStatus: 200, maxBytes: 20 * 1024 * 1024 },
];

const SVG_VARIANTS: Record<string, string> = {
  'script and every trick': HOSTILE_SVG,
  onload: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
  'javascript: link': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
  'external reference': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://evil.example/t.png" width="9" height="9"/><use href="https://evil.example/s.svg#x"/></svg>',
  foreignObject: '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject width="90" height="20"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"></iframe></foreignObject></svg>',
  'entity expansion (billion laughs)': '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
};

/** Files that are one thing by their first bytes and another further on. */
async function polyglots(): Promise<Record<string, Buffer>> {
  const html = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
  const ihdr = Buffer.from('0000000d49484452000000100000001008060000001ff3ff61', 'hex');
  const zip = await buildZip([{ name: '[Content_Types].xml', data: XLSX_CONTENT_TYPES }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet/>') }]);
  return {
    'PNG header followed by HTML and script': Buffer.concat([PNG_SIGNATURE, ihdr, html]),
    'GIF that is also JavaScript': Buffer.from('GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(document.domain);//;', 'latin1'),
    'ZIP (spreadsheet) that is also a JPEG': Buffer.concat([smallImage('image/jpeg'), zip]),
    'HTML page with a script, named .csv': html,
    'Windows program (MZ header)': Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200)]),
    // (Text in UTF-16 with a byte order mark is not hostile: Excel's "Unicode text"; the CSV and JSON uploads read it, see data-import tests.)
  };
}

const HOSTILE_NAMES = ['../../etc/passwd', '..\\..\\Windows\\win.ini', '/etc/shadow', 'a\u0000b.csv', `${'x'.repeat(1000)}.csv`, 'CON', 'NUL.csv', 'COM1.json', 'LPT1.png', '<img src=x onerror=alert(1)>.csv', '"; rm -rf / #.csv', '%2e%2e%2fpasswd'];

/** A multipart body written by hand, for what a normal client will not send (RFC 5987 names, bodies cut short). */
function rawMultipart(parts: { name: string; header?: string; content: Buffer | string }[], boundary: string, end = true): Buffer {
  const chunks = parts.flatMap((p) => [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.header ?? ''}\r\n\r\n`), Buffer.from(p.content), Buffer.from('\r\n')]);
  return Buffer.concat([...chunks, Buffer.from(end ? `--${boundary}--\r\n` : '')]);
}

/** Every Spanish error message the app has (all `errors` subtrees, and the queue's badFile), for checking that a refusal is explained. */
async function spanishErrorMessages(): Promise<string[]> {
  const i18n = await testI18n();
  const out: string[] = [];
  const walk = (node: unknown, inErrors: boolean): void => {
    if (typeof node === 'string') {
      if (inErrors) out.push(...node.split(/\{\{[^}]*\}\}|\$t\([^)]*\)/).map((s) => s.trim()).filter((s) => s.length >= 12));
    } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, inErrors || k === 'errors' || k === 'badFile');
  };
  for (const ns of ['common', 'builder', 'data', 'partners', 'settings', 'staff']) walk(i18n.getResourceBundle('es', ns), false);
  return out;
}

/** Everything an upload could add or change (sessions and rate-limit counters aside). */
async function snapshot(): Promise<string> {
  const db = mongoose.connection.db!;
  const names = (await db.listCollections().toArray()).map((c) => c.name).filter((n) => !['sessions', 'rate_limits', 'users', 'setup_lock'].includes(n)).sort();
  const parts = await Promise.all(names.map(async (n) => [n, await db.collection(n).find({}, { projection: { updatedAt: 0 } }).sort({ _id: 1 }).toArray()]));
  return JSON.stringify(parts);
}

/** A directory listing, to show that uploads never write a file. */
function listing(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('hostile uploads on every upload route: 4xx with a localized message, nothing stored, nothing on disk', function () {
  this.timeout(120000);
  let app: Express;
  let dataDir: string;
  let staff: Agent;
  let admin: Agent;
  let token: { staff: string; admin: string };
  let messages: string[];
  let files: Record<string, Buffer>;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cn-uploads-'));
    ({ app } = await buildTestApp({ LOGIN_RATE_LIMIT: '1000', DATA_DIR: dataDir }));
    messages = await spanishErrorMessages();
    files = await polyglots();
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  before(async () => {
    await clearDatabase();
    ({ agent: staff } = await signedInAgent(app, 'staff'));
    ({ agent: admin } = await signedInAgent(app, 'admin'));
    // Every refusal is checked in Spanish: the pages are in the person's language (picked in the switcher), not English.
    await staff.get('/language/es?next=/staff/surveys').expect(303);
    await admin.get('/language/es?next=/staff/surveys').expect(303);
    token = { staff: csrfFrom((await staff.get('/staff/surveys').expect(200)).text), admin: csrfFrom((await admin.get('/staff/surveys').expect(200)).text) };
  });
  beforeEach(async () => {
    // Everything but the accounts (and their sessions), so the two agents stay signed in.
    await Promise.all(Object.values(mongoose.models).filter((m) => m !== UserModel).map((m) => m.deleteMany({})));
    await buildSurvey();
    await buildPartner({ name: 'Existing Bakery' });
  });

  function send(route: UploadRoute, file: Buffer | Buffer[], name: string | string[], field = route.field): Promise<request.Response> {
    const agent = route.path.startsWith('/staff/settings') ? admin : staff;
    let req = agent.post(route.path).field('_csrf', route.path.startsWith('/staff/settings') ? token.admin : token.staff);
    for (const [k, v] of Object.entries(route.fields ?? {})) req = req.field(k, v);
    const list = Array.isArray(file) ? file : [file];
    list.forEach((f, i) => (req = req.attach(field, f, Array.isArray(name) ? name[i]! : name)));
    return req.then(
      (res) => res,
      (err: { response?: request.Response; code?: string }) => {
        // Past the size limit the server may answer before the upload is sent and close the connection.
        if (err.response) return err.response;
        expect(err.code).to.be.oneOf(['EPIPE', 'ECONNRESET']);
        return null as unknown as request.Response;
      },
    );
  }

  /** A refusal: the status, the page in Spanish with one of the app's error messages, no stack trace, and nothing stored. */
  async function expectRefused(res: request.Response | null, status: number | number[], what: string, before: string): Promise<void> {
    if (res) {
      expect(res.status, `${what}: ${res.text.slice(0, 300)}`).to.be.oneOf(Array.isArray(status) ? status : [status]);
      const $ = cheerio.load(res.text);
      expect($('html').attr('lang'), what).to.equal('es');
      const text = $('main').text().replace(/\s+/g, ' ');
      expect(messages.some((m) => text.includes(m)), `${what}: no localized error message in «${text.slice(0, 300)}»`).to.equal(true);
      expect(res.text, what).to.not.match(/at .*\.(ts|js):\d+|Error: /);
    }
    expect(await snapshot(), `${what}: something was stored`).to.equal(before);
  }

  for (const route of ROUTES) {
    describe(`${route.name} (${route.path})`, () => {
      it('a valid file is accepted (the baseline the refusals are measured against)', async () => {
        const res = await send(route, route.valid(0), 'ok.bin');
        expect(res.status, res.text.slice(0, 300)).to.equal(route.validStatus);
      });

      it('SVGs with <script>, onload, javascript: links, external references, foreignObject or entities: refused, or (the logo) stored cleaned and never executable', async () => {
        for (const [what, svg] of Object.entries(SVG_VARIANTS)) {
          const before = await snapshot();
          const res = await send(route, Buffer.from(svg), 'logo.svg');
          if (what.startsWith('entity')) {
            // Its DOCTYPE hides the <svg> from the type check, so it is text: not a picture, and no table or JSON either.
            await expectRefused(res, [415, 422], `${route.name}: SVG ${what}`, before);
            continue;
          }
          if (route.field !== 'logo') {
            await expectRefused(res, 415, `${route.name}: SVG ${what}`, before);
            continue;
          }
          expect(res.status, what).to.equal(303);
          const served = await admin.get('/branding/logo').expect(200);
          expect(served.headers['content-security-policy']).to.contain("default-src 'none'");
          expect(served.text, what).to.not.match(/<script|onload|onclick|javascript:|foreignObject|evil\.example|<iframe/i);
        }
      });

      it('polyglots (PNG+HTML, GIF+JS, JPEG+ZIP), an HTML page and a program: refused; a JPEG that carries a ZIP (logo) keeps only its pixels', async () => {
        for (const [what, file] of Object.entries(files)) {
          const before = await snapshot();
          const res = await send(route, file, what.includes('.csv') ? 'page.csv' : 'file.bin');
          if (route.field === 'logo' && what.startsWith('ZIP')) {
            expect(res.status, what).to.equal(303);
            const served = await admin.get('/branding/logo').buffer(true).expect(200);
            expect(served.headers['content-type']).to.equal('image/jpeg');
            expect(Buffer.from(served.body as Buffer).includes(Buffer.from('PK\x03\x04', 'latin1')), 'ZIP kept inside the logo').to.equal(false);
            continue;
          }
          const textKinds = ['translations import', 'responses import', 'partners import'];
          // An HTML page is UTF-8 text: the CSV routes read it as a table and find none of their columns.
          const status = what.startsWith('HTML') && textKinds.includes(route.name) ? 422 : what.startsWith('PNG') && route.field === 'logo' ? 422 : 415;
          await expectRefused(res, status, `${route.name}: ${what}`, before);
        }
      });

      it('one byte over the size limit: 413 with the limit explained', async () => {
        const before = await snapshot();
        const res = await send(route, Buffer.alloc(route.maxBytes + 1, 'a'), 'big.csv');
        await expectRefused(res, 413, `${route.name}: ${route.maxBytes + 1} bytes`, before);
      });

      it('two files, or a file in another field: 400 tooManyFiles', async () => {
        const before = await snapshot();
        await expectRefused(await send(route, [route.valid(1), route.valid(2)], ['a.bin', 'b.bin']), 400, `${route.name}: two files`, before);
        await expectRefused(await send(route, route.valid(3), 'a.bin', 'other'), 400, `${route.name}: another field`, before);
      });

      it('an XLSX ZIP bomb (200 MB of zeros): 413 where spreadsheets are taken, 415 elsewhere, never unpacked', async () => {
        const before = await snapshot();
        const rss = process.memoryUsage().rss;
        const res = await send(route, await xlsxBomb(), 'bomb.xlsx');
        await expectRefused(res, route.xlsx ? 413 : 415, `${route.name}: ZIP bomb`, before);
        expect(process.memoryUsage().rss - rss).to.be.below(100 * 1024 * 1024);
      });

      it('an empty file: 422 fileMissing', async () => {
        const before = await snapshot();
        await expectRefused(await send(route, Buffer.alloc(0), 'empty.csv'), 422, `${route.name}: empty file`, before);
      });

      it('malformed multipart bodies (a NUL in a part header, cut short, no boundary): 400 malformedBody, never a 500', async () => {
        const before = await snapshot();
        const b = 'cnTestBoundary';
        const csrf = route.path.startsWith('/staff/settings') ? token.admin : token.staff;
        const agent = route.path.startsWith('/staff/settings') ? admin : staff;
        const bodies: [string, string, Buffer][] = [
          ['NUL in the file name', `multipart/form-data; boundary=${b}`, rawMultipart([{ name: '_csrf', content: csrf }, { name: route.field, header: '; filename="a\u0000b.csv"', content: route.valid(20) }], b)],
          ['cut short', `multipart/form-data; boundary=${b}`, rawMultipart([{ name: '_csrf', content: csrf }, { name: route.field, header: '; filename="a.csv"', content: route.valid(21) }], b, false).subarray(0, -10)],
          ['no boundary', 'multipart/form-data', Buffer.from('--x\r\n\r\n')],
        ];
        for (const [what, type, body] of bodies) {
          await expectRefused(await agent.post(route.path).set('Content-Type', type).send(body), 400, `${route.name}: ${what}`, before);
        }
      });

      it('file names sent as RFC 5987 filename* with %00, ../ and markup: the name is cleaned or refused, never used or echoed as sent', async () => {
        const b = 'cnTestBoundary';
        const csrf = route.path.startsWith('/staff/settings') ? token.admin : token.staff;
        const agent = route.path.startsWith('/staff/settings') ? admin : staff;
        for (const [n, star] of ["UTF-8''..%2F..%2Fetc%2Fpasswd", "UTF-8''a%00b%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.csv", "UTF-8''..%5C..%5CCON"].entries()) {
          const body = rawMultipart([{ name: '_csrf', content: csrf }, ...Object.entries(route.fields ?? {}).map(([name, content]) => ({ name, content })), { name: route.field, header: `; filename*=${star}`, content: route.valid(30 + n) }], b);
          const res = await agent.post(route.path).set('Content-Type', `multipart/form-data; boundary=${b}`).send(body);
          expect(res.status, star).to.be.below(500);
          const page = res.headers.location ? await agent.get(res.headers.location) : res;
          for (const text of [res.text, page.text]) expect(text).to.not.match(/<img src=x onerror|\u0000|(\.\.[/\\]){2}/);
        }
        for (const batch of await ImportBatchModel.find({}, { fileName: 1 }).lean()) expect(batch.fileName).to.match(/^[^/\\\u0000<>:"|?*]{1,120}$/);
      });

      it('path traversal, NUL, 1000-character, Windows device and markup file names: the name is never a path, never echoed unescaped, never kept as sent', async () => {
        const dirs = [dataDir, os.tmpdir(), process.cwd()];
        const listed = dirs.map(listing);
        for (const [n, name] of HOSTILE_NAMES.entries()) {
          const res = await send(route, route.valid(10 + n), name);
          // A NUL in a part header is malformed multipart (400 malformedBody); every other name is just cleaned.
          expect(res.status, `${route.name} ${JSON.stringify(name.slice(0, 40))}`).to.equal(name.includes('\u0000') ? 400 : route.validStatus);
          const page = res.headers.location ? await (route.path.startsWith('/staff/settings') ? admin : staff).get(res.headers.location) : res;
          for (const text of [res.text, page.text]) {
            expect(text).to.not.contain('<img src=x onerror');
            expect(text).to.not.contain('\u0000');
            expect(text).to.not.match(/(\.\.[/\\]){2}/);
          }
        }
        for (const batch of await ImportBatchModel.find({}, { fileName: 1 }).lean()) {
          expect(batch.fileName, 'stored file name').to.match(/^[^/\\\u0000<>:"|?*]{1,120}$/);
        }
        expect(dirs.map(listing).map((l) => l.filter((f) => /passwd|shadow|win\.ini|^(CON|NUL|COM1|LPT1)(\.|$)|onerror/i.test(f)))).to.deep.equal(listed.map(() => []));
        expect(dirs.map(listing).slice(0, 1)).to.deep.equal(listed.slice(0, 1));
      });
    });
  }

  it('the translation screen\'s multipart form (no file): a NUL in a part header, a body cut short or a file sent answer 400, never a 500, and change nothing', async () => {
    const before = await snapshot();
    const b = 'cnTestBoundary';
    const path = '/staff/surveys/test-survey/translations/es';
    const fields = [{ name: '_csrf', content: token.staff }, { name: 't:title', content: 'Hola' }];
    const nul = rawMultipart([...fields, { name: 't:intro', header: '; filename="a\u0000b"', content: 'x' }], b);
    const cut = rawMultipart(fields, b, false).subarray(0, -5);
    for (const [what, body] of [['NUL', nul], ['cut short', cut]] as const) {
      await expectRefused(await staff.post(path).set('Content-Type', `multipart/form-data; boundary=${b}`).send(body), 400, `translation form: ${what}`, before);
    }
    await expectRefused(await staff.post(path).field('_csrf', token.staff).attach('file', Buffer.from('x'), 'x.csv'), 400, 'translation form: a file', before);
  });
});
