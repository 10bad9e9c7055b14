import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';

describe('operations', () => {
  let app: Express;
  before(async () => {
    ({ app } = await buildTestApp());
  });

  it('GET /healthz reports the database connected with 200', async () => {
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok', database: 'connected' });
  });

  it('every page carries security headers and a CSP without inline script or style', async () => {
    const res = await request(app).get('/').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("style-src 'self'");
    expect(csp).to.contain("object-src 'none'");
    expect(csp).to.contain("base-uri 'none'");
    expect(csp).to.contain("frame-ancestors 'none'");
    expect(csp).to.not.contain('unsafe-inline');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
  });

  it('no page may be framed, and the headers agree: CSP frame-ancestors \'none\' and X-Frame-Options: DENY (not SAMEORIGIN)', async () => {
    for (const path of ['/', '/s/no-such-survey', '/login']) {
      const res = await request(app).get(path);
      expect(res.headers['content-security-policy']).to.contain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).to.equal('DENY');
    }
  });

  it('GET an unknown page answers 404 with a localized page', async () => {
    const res = await request(app).get('/no/such/page').set('Accept-Language', 'vi').expect(404);
    expect(res.text).to.contain('lang="vi"');
  });

  it('GET an unknown page asking for JSON gets a JSON 404 with a code', async () => {
    const res = await request(app).get('/no/such/page').set('Accept', 'application/json').expect(404);
    expect(res.body.error.code).to.equal('notFound');
  });

  it('GET a malformed percent-encoded path answers 400, not 500', async () => {
    const res = await request(app).get('/s/%E0%A4%A');
    expect(res.status).to.be.within(400, 499);
  });
});
