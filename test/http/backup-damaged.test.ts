import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { ResponseModel } from '../../surveys/response.model.js';
import { ArchiveError } from '../../surveys/transfer/archive-format.js';
import { createBackup } from '../../surveys/transfer/backup.service.js';
import { restoreBackup } from '../../surveys/transfer/restore.service.js';
import { clearDatabase } from '../helpers/db.js';
import { fillLibrary, snapshotCollections, snapshotTallies } from '../fixtures/library-data.js';

describe('restore refuses a damaged, cut-short or foreign archive before writing anything', function () {
  this.timeout(120000);
  let dir: string;
  let good: Buffer;
  let stored: Awaited<ReturnType<typeof snapshotCollections>>;
  let tallies: Awaited<ReturnType<typeof snapshotTallies>>;

  /** Writes `bytes` as an archive, restores it with --merge (so only the archive can be refused) and returns the error code. */
  async function refusal(name: string, bytes: Buffer | string): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, bytes);
    const err = await restoreBackup(file, { merge: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, 'restore should fail').to.be.instanceOf(ArchiveError);
    expect(await snapshotCollections(), 'nothing changed').to.deep.equal(stored);
    expect(await snapshotTallies(), 'counters unchanged').to.deep.equal(tallies);
    return (err as ArchiveError).code;
  }
  const lines = (): string[] => gunzipSync(good).toString('utf8').split('\n');

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'community-needs-damaged-'));
    await clearDatabase();
    await fillLibrary(300);
    const { file } = await createBackup({ file: path.join(dir, 'good.jsonl.gz'), withContacts: true, appVersion: '0.1.0-test' });
    good = await fs.readFile(file);
    // Half the responses are gone: a merge of any of these files would have something to write.
    const half = await ResponseModel.find({}, { _id: 1 }).limit(150).lean();
    for (const { _id } of half) await ResponseModel.deleteOne({ _id });
    stored = await snapshotCollections();
    tallies = await snapshotTallies();
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a file cut short (the first half of the gzip) is refused as truncated', async () => {
    expect(await refusal('cut.jsonl.gz', good.subarray(0, Math.floor(good.length / 2)))).to.equal('truncated');
  });

  it('a file with one byte flipped in the middle is refused as damaged (gzip check or checksum)', async () => {
    const flipped = Buffer.from(good);
    const middle = Math.floor(flipped.length / 2);
    flipped[middle] = flipped[middle]! ^ 0xff;
    expect(await refusal('flipped.jsonl.gz', flipped)).to.be.oneOf(['damaged', 'checksum']);
  });

  it('an archive without its trailer line (a valid gzip whose content stops early) is refused as truncated', async () => {
    const all = lines();
    expect(await refusal('no-trailer.jsonl.gz', gzipSync(`${all.slice(0, -2).join('\n')}\n`))).to.equal('truncated');
  });

  it('an archive with one answer edited and recompressed is refused: its content does not match the checksum', async () => {
    const edited = lines().map((l) => (l.includes('"c":"responses"') ? l.replace('"lang":"en"', '"lang":"fr"') : l));
    expect(edited.join('\n')).to.not.equal(lines().join('\n'));
    expect(await refusal('edited.jsonl.gz', gzipSync(edited.join('\n')))).to.equal('checksum');
  });

  it('an archive with a document line removed and the counts left as they were is refused', async () => {
    const all = lines();
    const i = all.findIndex((l) => l.startsWith('{"c":"partners"'));
    expect(await refusal('missing-line.jsonl.gz', gzipSync([...all.slice(0, i), ...all.slice(i + 1)].join('\n')))).to.be.oneOf(['checksum', 'counts']);
  });

  it('a foreign gzip file (a compressed CSV) is refused as not an archive; so is a gzip of JSON lines without our header', async () => {
    expect(await refusal('export.csv.gz', gzipSync('submissionId,lang\nabc,en\n'))).to.equal('notAnArchive');
    expect(await refusal('other.jsonl.gz', gzipSync('{"format":"someone-else","formatVersion":1}\n{"c":"responses","d":{"_id":1}}\n'))).to.equal('notAnArchive');
  });

  it('a file that is not gzip at all (plain text, or empty) is refused as notGzip', async () => {
    expect(await refusal('plain.jsonl', lines().join('\n'))).to.equal('notGzip');
    expect(await refusal('empty.jsonl.gz', '')).to.equal('notGzip');
  });

  it('an archive from a newer format version is refused as newerFormat', async () => {
    const all = lines();
    all[0] = all[0]!.replace('"formatVersion":1', '"formatVersion":99');
    expect(await refusal('newer.jsonl.gz', gzipSync(all.join('\n')))).to.equal('newerFormat');
  });

  it('a line naming a collection a restore never writes (sessions) is refused', async () => {
    const all = lines();
    all.splice(1, 0, '{"c":"sessions","d":{"_id":"stolen-session"}}');
    expect(await refusal('sessions.jsonl.gz', gzipSync(all.join('\n')))).to.equal('unknownCollection');
  });

  it('the intact archive, by contrast, merges back the missing half', async () => {
    const file = path.join(dir, 'good-again.jsonl.gz');
    await fs.writeFile(file, good);
    const result = await restoreBackup(file, { merge: true });
    expect(result.collections.responses).to.deep.equal({ inserted: 150, skipped: 152, conflicts: 0 });
  });
});
