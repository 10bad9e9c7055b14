import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';
import { clearDatabase } from '../helpers/db.js';
import { buildSurvey } from '../fixtures/builders.js';

interface LogLine {
  level: number;
  time: number;
  msg: string;
  req?: { id: string; method: string; path: string };
  res?: { status: number };
  responseTime?: number;
  [key: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request logs', () => {
  let app: Express;
  const lines: LogLine[] = [];
  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine));
        done();
      },
    });
    // A minimum fill time, so a post without the form's token is kept apart and logged from the route.
    ({ app } = await buildTestApp({ MIN_FILL_SECONDS: '5' }, { logger: pino({ level: 'info', base: undefined }, stream) }));
  });
  beforeEach(async () => {
    lines.length = 0;
    await clearDatabase();
    await buildSurvey();
  });

  it('POST /s/test-survey?ch=x logs one line: level, time, req {id, method, path without query}, res {status}, responseTime, msg', async () => {
    await request(app).post('/s/test-survey?ch=x').type('form').send({ sid: 'log-shape-submission-01', lang: 'en', 'q:interests': 'job-skills' }).expect(303);
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done).to.have.length(1);
    const line = done[0]!;
    expect(Object.keys(line)).to.deep.equal(['level', 'time', 'req', 'res', 'responseTime', 'msg']);
    expect(line.level).to.equal(30);
    expect(Object.keys(line.req!)).to.deep.equal(['id', 'method', 'path']);
    expect(line.req).to.include({ method: 'POST', path: '/s/test-survey' });
    expect(line.req!.id).to.match(UUID);
    expect(line.res).to.deep.equal({ status: 303 });
    expect(line.responseTime).to.be.a('number');
  });

  it('a line logged by a route carries the same req binding as the request line (a post without a form token, kept apart as spam)', async () => {
    await request(app).post('/s/test-survey').type('form').send({ sid: 'log-shape-submission-02', lang: 'en', 'q:interests': 'job-skills' }).expect(303);
    const spam = lines.find((l) => l.msg === 'submission kept apart as likely spam');
    const done = lines.find((l) => l.msg === 'request completed');
    expect(spam).to.not.equal(undefined);
    expect(Object.keys(spam!)).to.deep.equal(['level', 'time', 'req', 'spam', 'survey', 'msg']);
    expect(spam).to.deep.include({ spam: ['noToken'], survey: 'test-survey' });
    expect(spam!.req).to.deep.equal(done!.req);
  });

  it('GET an unknown page under a mounted router logs the full path at warn level with status 404', async () => {
    await request(app).get('/s/no-such-survey/thanks?lang=es').expect(404);
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done).to.have.length(1);
    expect(done[0]!.level).to.equal(40);
    expect(done[0]!.req).to.include({ method: 'GET', path: '/s/no-such-survey/thanks' });
    expect(done[0]!.res).to.deep.equal({ status: 404 });
  });
});
