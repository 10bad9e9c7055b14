import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { ResponseModel } from '../../surveys/response.model.js';
import { PartnerModel } from '../../surveys/partner.model.js';
import { RestoreRefusedError } from '../../surveys/transfer/archive-format.js';
import { createBackup } from '../../surveys/transfer/backup.service.js';
import { NOT_ARCHIVED } from '../../surveys/transfer/collections.js';
import { restoreBackup } from '../../surveys/transfer/restore.service.js';
import { UserModel } from '../../surveys/user.model.js';
import { createUser } from '../../surveys/user.service.js';
import { verifyLogin } from '../../surveys/sign-in.service.js';
import { buildTestApp } from '../helpers/app.js';
import { csrfFrom, signedInAgent, TEST_PASSWORD } from '../helpers/auth.js';
import { clearDatabase } from '../helpers/db.js';
import { archiveText, CONTACT_EMAIL, fillLibrary, snapshotCollections, snapshotTallies } from '../fixtures/library-data.js';

describe('backup and restore (npm run backup / npm run restore)', function () {
  this.timeout(300000);
  let dir: string;
  const file = (name: string): string => path.join(dir, name);
  const backup = (name: string, withContacts = false): ReturnType<typeof createBackup> => createBackup({ file: file(name), withContacts, appVersion: '0.1.0-test' });
  /** Empties the database, sessions and rate limits included (they have no model here). */
  const emptyDatabase = async (): Promise<void> => {
    await clearDatabase();
    await mongoose.connection.db!.collection('sessions').deleteMany({});
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'community-needs-backup-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  beforeEach(emptyDatabase);

  it('a backup restored into an empty database equals the original, collection by collection, and the analytical copy gives the same counters', async () => {
    await fillLibrary(2000);
    const original = await snapshotCollections();
    const tallies = await snapshotTallies();
    expect(original.responses).to.have.length(2002);
    expect(original.survey_versions).to.have.length(3);

    const written = await backup('full.jsonl.gz', true);
    expect(written.counts).to.deep.equal(Object.fromEntries(Object.entries(original).map(([n, docs]) => [n, docs.length])));
    expect((await fs.stat(written.file)).mode & 0o777).to.equal(0o600);

    await emptyDatabase();
    const restored = await restoreBackup(written.file);
    expect(restored.documents).to.equal(written.documents);
    expect(restored.rebuilt.sort()).to.deep.equal(Object.keys(tallies));

    const after = await snapshotCollections();
    for (const name of Object.keys(original)) expect(after[name], name).to.deep.equal(original[name]);
    expect(await snapshotTallies()).to.deep.equal(tallies);
    // The password hashes came along: the restored staff can sign in.
    expect((await verifyLogin('sam@library.test', TEST_PASSWORD)).role).to.equal('staff');
  });

  it('restore into a database that holds data, without --merge: refused with notEmpty, nothing written', async () => {
    await fillLibrary(0);
    const written = await backup('refused.jsonl.gz');
    await ResponseModel.deleteMany({});
    const before = await snapshotCollections();
    const err = await restoreBackup(written.file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(RestoreRefusedError);
    expect((err as RestoreRefusedError).code).to.equal('notEmpty');
    expect(await snapshotCollections()).to.deep.equal(before);
  });

  it('restore --merge into a database holding part of the data adds what is missing and doubles nothing (not even an account re-made with the same email); a second merge adds nothing', async () => {
    await fillLibrary(300);
    const written = await backup('merge.jsonl.gz', true);
    const original = await snapshotCollections();
    // Lose some of it, and gain an answer the backup does not have.
    const kept = await ResponseModel.find({}, { _id: 1 }).limit(100).lean();
    await ResponseModel.deleteMany({ _id: mongoose.trusted({ $nin: kept.map((r) => r._id) }) });
    await PartnerModel.deleteMany({});
    // Sam's account made again: a new _id with the same email (a unique value).
    await UserModel.deleteOne({ email: 'sam@library.test' });
    await createUser({ email: 'sam@library.test', name: 'Sam Again', role: 'board', password: TEST_PASSWORD });
    const extra = { surveySlug: 'test-survey', surveyVersion: 2, submissionId: 'after-the-backup-0001', fingerprint: 'x', answers: {}, other: {}, lang: 'en', channel: 'web', submittedAt: new Date('2026-07-01T00:00:00Z') };
    await ResponseModel.collection.insertOne({ ...extra });

    const merged = await restoreBackup(written.file, { merge: true });
    expect(merged.collections.responses).to.deep.equal({ inserted: 302 - 100, skipped: 100, conflicts: 0 });
    expect(merged.collections.partners!.inserted).to.equal(1);
    // MongoDB names the index that refused Sam's archived account (a conflict); FerretDB does not.
    expect(merged.collections.users).to.include({ inserted: 0, skipped: 2 });
    expect(merged.collections.users!.conflicts).to.be.oneOf([0, 1]);
    expect((await UserModel.find({ email: 'sam@library.test' }).lean()).map((u) => u.name)).to.deep.equal(['Sam Again']);
    const after = await snapshotCollections();
    for (const name of Object.keys(original)) {
      if (name === 'responses' || name === 'users') continue;
      expect(after[name], name).to.deep.equal(original[name]);
    }
    expect(after.responses).to.have.length(original.responses!.length + 1);
    expect(after.responses).to.include.members(original.responses!);
    expect((await snapshotTallies())['test-survey']!.find(([k]) => k === 'total')![1]).to.equal(3);

    const again = await restoreBackup(written.file, { merge: true });
    expect(Object.values(again.collections).reduce((n, o) => n + o.inserted + o.conflicts, 0)).to.equal(0);
    expect(await snapshotCollections()).to.deep.equal(after);
  });

  it('follow-up contacts: left out of a backup without --with-contacts, kept and restored with it', async () => {
    await fillLibrary(0);
    const without = await backup('no-contacts.jsonl.gz');
    expect(without.header.withContacts).to.equal(false);
    expect(without.counts).to.not.have.property('contacts');
    expect(await archiveText(without.file)).to.not.include(CONTACT_EMAIL);

    const withContacts = await backup('contacts.jsonl.gz', true);
    expect(withContacts.counts.contacts).to.equal(1);
    expect(await archiveText(withContacts.file)).to.include(CONTACT_EMAIL);

    const original = await snapshotCollections();
    await emptyDatabase();
    await restoreBackup(without.file);
    expect((await snapshotCollections()).contacts).to.deep.equal([]);
    await emptyDatabase();
    await restoreBackup(withContacts.file);
    expect((await snapshotCollections()).contacts).to.deep.equal(original.contacts);
  });

  it('server secrets stay out: no session, rate-limit counter, session secret or form secret in the archive, and no counters', async () => {
    const secrets = { SESSION_SECRET: 'session-secret-marker-0123456789abcdef', FORM_SECRET: 'form-secret-marker-0123456789abcdef00' };
    const { app } = await buildTestApp(secrets);
    await fillLibrary(0);
    const { agent } = await signedInAgent(app, 'admin', 'signed-in@library.test');
    await agent.get('/staff/surveys').expect(200);
    const login = await request(app).get('/login').expect(200);
    await request(app).post('/login').type('form').send({ _csrf: csrfFrom(login.text), email: 'nobody@library.test', password: 'wrong' });
    const db = mongoose.connection.db!;
    const sessions = await db.collection('sessions').find({}).toArray();
    const limits = await db.collection('rate_limits').find({}).toArray();
    expect(sessions).to.have.length.above(0);

    const text = await archiveText((await backup('secrets.jsonl.gz', true)).file);
    for (const secret of Object.values(secrets)) expect(text).to.not.include(secret);
    for (const doc of [...sessions, ...limits]) expect(text).to.not.include(String(doc._id));
    const collections = new Set(text.split('\n').filter((l) => l.startsWith('{"c":')).map((l) => (JSON.parse(l) as { c: string }).c));
    for (const name of Object.keys(NOT_ARCHIVED)) expect(collections.has(name), name).to.equal(false);
    expect([...collections]).to.include.members(['users', 'settings', 'responses']);
  });
});
