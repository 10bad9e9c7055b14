import { expect } from 'chai';
import { checkRecord, checkRecords, exportRows, parsePartnerCsv } from '../../../surveys/partner-csv.js';
import { checkPartner, nameKey, normalizeWebsite } from '../../../surveys/partner.schema.js';
import type { PartnerView } from '../../../surveys/partner.service.js';

describe('partner fields and CSV rows (no database)', () => {
  it('normalizeWebsite keeps http(s), adds https:// to a bare host, and refuses other schemes', () => {
    expect(normalizeWebsite('https://example.org/a?b=1')).to.equal('https://example.org/a?b=1');
    expect(normalizeWebsite('example.org')).to.equal('https://example.org/');
    expect(normalizeWebsite('example.org:8080/x')).to.equal('https://example.org:8080/x');
    for (const bad of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://example.org', 'mailto:a@b.org', 'http://', 'nohost']) expect(normalizeWebsite(bad), bad).to.equal(null);
  });

  it('checkPartner reports every problem at once with stable codes, and trims and de-duplicates', () => {
    const bad = checkPartner({ name: 'x'.repeat(201), type: 'circus', topics: ['juggling'], email: 'a@', phone: 'abc', status: 'maybe' });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(bad.problems.map((p) => `${p.field}:${p.code}`)).to.deep.equal(['name:tooLong', 'type:typeUnknown', 'topics:topicUnknown', 'email:email', 'phone:phone', 'status:status']);
    const ok = checkPartner({ name: '  Oak Books ', type: 'bookstores', topics: ['reading-culture', 'reading-culture'], phone: '+1 (555) 010-2020 ext. 12' });
    expect(ok.ok && ok.value).to.deep.include({ name: 'Oak Books', topics: ['reading-culture'], status: 'idea', phone: '+1 (555) 010-2020 ext. 12' });
  });

  it('nameKey ignores case and repeated spaces', () => {
    expect(nameKey('  Riverside   BAKERY ')).to.equal(nameKey('riverside bakery'));
  });

  it('parsePartnerCsv reads headers in any case and order, detects ";" as the delimiter, and undoes the formula guard', () => {
    const parsed = parsePartnerCsv('\uFEFFType;NAME;Notes;extra\nschools;Lincoln;\'=1+1\nbanks;First Bank;\'-5\n');
    expect(parsed.problems).to.deep.equal([]);
    expect(parsed.columns).to.deep.equal(['type', 'name', 'notes']);
    expect(parsed.ignored).to.deep.equal(['extra']);
    expect(parsed.records.map((r) => [r.row, r.cells.name, r.cells.notes])).to.deep.equal([[2, 'Lincoln', '=1+1'], [3, 'First Bank', '-5']]);
  });

  it('checkRecord accepts a type and topics by name in another language, and names the value it cannot match', () => {
    const good = checkRecord({ row: 2, cells: { name: 'Escuela', type: 'ESCUELAS', topics: 'Lectura temprana y HORA del cuento; coding-tech' } });
    expect(good.problems).to.deep.equal([]);
    expect(good.value?.type).to.equal('schools');
    expect(good.value?.topics).to.have.members(['early-literacy', 'coding-tech']);
    const bad = checkRecord({ row: 3, cells: { name: 'X', type: 'Bakery', topics: 'Knitting' } });
    expect(bad.problems).to.deep.equal([
      { field: 'type', code: 'typeNotFound', params: { value: 'Bakery' } },
      { field: 'topics', code: 'topicNotFound', params: { value: 'Knitting' } },
    ]);
  });

  it('checkRecords flags the second row with the same name and type', () => {
    const rows = checkRecords([{ row: 2, cells: { name: 'A', type: 'schools' } }, { row: 3, cells: { name: ' a ', type: 'Schools' } }]);
    expect(rows[1]!.problems).to.deep.equal([{ field: 'name', code: 'duplicateInFile', params: { row: 2 } }]);
  });

  it('exportRows writes names in the language asked for and the program history as lines', () => {
    const p = { id: '1', name: 'A', type: 'schools', topics: ['early-literacy'], contact: '', email: '', phone: '', website: '', address: '', status: 'idea', notes: '', programs: [{ id: 'p', date: '2026-01-02', title: 'Storytime', notes: 'Fun' }], createdAt: new Date(), updatedAt: new Date() } as PartnerView;
    const [row] = exportRows([p], 'es');
    expect(row![1]).to.equal('Escuelas');
    expect(row![10]).to.equal('2026-01-02: Storytime (Fun)');
  });
});
