import { expect } from 'chai';
import { contactField, parseContact, type ParsedContact } from '../../../surveys/contact.js';

const email = contactField.email;
const phone = contactField.phone;
const consent = contactField.consent;

function codes(result: ParsedContact): string[] {
  return result.problems.map((p) => `${p.field}:${p.code}`);
}

describe('parseContact', () => {
  it('sends no contact fields and gets no contact and no problem', () => {
    const r = parseContact({});
    expect(r.contact).to.equal(undefined);
    expect(r.problems).to.deep.equal([]);
  });

  it('sends empty email and phone without consent and gets no contact and no problem', () => {
    const r = parseContact({ [email]: '  ', [phone]: '' });
    expect(r.contact).to.equal(undefined);
    expect(r.problems).to.deep.equal([]);
  });

  it('sends an email with consent and gets the email lower-cased and trimmed', () => {
    const r = parseContact({ [email]: '  Ana.Perez@Example.ORG ', [consent]: 'yes' });
    expect(r.problems).to.deep.equal([]);
    expect(r.contact).to.deep.equal({ email: 'ana.perez@example.org' });
  });

  it('sends a phone with consent and gets the phone', () => {
    const r = parseContact({ [phone]: '+1 (555) 123-4567', [consent]: 'yes' });
    expect(r.problems).to.deep.equal([]);
    expect(r.contact).to.deep.equal({ phone: '+1 (555) 123-4567' });
  });

  it('sends both email and phone with consent and gets both', () => {
    const r = parseContact({ [email]: 'ana@example.org', [phone]: '555 123 4567', [consent]: 'yes' });
    expect(r.contact).to.deep.equal({ email: 'ana@example.org', phone: '555 123 4567' });
  });

  it('sends an email without consent and gets contactConsent', () => {
    const r = parseContact({ [email]: 'ana@example.org' });
    expect(codes(r)).to.deep.equal(['contact:contactConsent']);
    expect(r.contact).to.equal(undefined);
  });

  it('sends an email with a consent value other than "yes" and gets contactConsent', () => {
    const r = parseContact({ [email]: 'ana@example.org', [consent]: 'on' });
    expect(codes(r)).to.deep.equal(['contact:contactConsent']);
  });

  it('sends a phone without consent and gets contactConsent', () => {
    const r = parseContact({ [phone]: '555 123 4567' });
    expect(codes(r)).to.deep.equal(['contact:contactConsent']);
  });

  it('sends consent without email or phone and gets contactMissing', () => {
    const r = parseContact({ [email]: '', [phone]: ' ', [consent]: 'yes' });
    expect(codes(r)).to.deep.equal(['contact:contactMissing']);
    expect(r.contact).to.equal(undefined);
  });

  for (const bad of ['not-an-email', 'ana@example', 'ana@example.c', 'ana perez@example.org', 'ana@@example.org', '<ana@example.org>']) {
    it(`sends the email "${bad}" with consent and gets contactEmail`, () => {
      const r = parseContact({ [email]: bad, [consent]: 'yes' });
      expect(codes(r)).to.deep.equal(['contact:contactEmail']);
      expect(r.contact).to.equal(undefined);
    });
  }

  it('sends an email longer than 254 characters with consent and gets contactEmail', () => {
    const r = parseContact({ [email]: `${'a'.repeat(64)}@${'b'.repeat(186)}.org`, [consent]: 'yes' });
    expect(codes(r)).to.deep.equal(['contact:contactEmail']);
  });

  for (const bad of ['abc', '12345', '+1 (---) ---', '555-CALL-NOW']) {
    it(`sends the phone "${bad}" with consent and gets contactPhone`, () => {
      const r = parseContact({ [phone]: bad, [consent]: 'yes' });
      expect(codes(r)).to.deep.equal(['contact:contactPhone']);
      expect(r.contact).to.equal(undefined);
    });
  }

  it('sends an object as the email and gets wrongType', () => {
    const r = parseContact({ [email]: { $gt: '' }, [consent]: 'yes' });
    expect(codes(r)).to.deep.equal(['contact:wrongType']);
    expect(r.contact).to.equal(undefined);
  });

  it('sends an array as the phone and gets wrongType', () => {
    const r = parseContact({ [phone]: ['555 123 4567', '555 765 4321'], [consent]: 'yes' });
    expect(codes(r)).to.deep.equal(['contact:wrongType']);
  });

  it('sends an object as the consent and gets wrongType', () => {
    const r = parseContact({ [email]: 'ana@example.org', [consent]: { $ne: null } });
    expect(codes(r)).to.deep.equal(['contact:wrongType']);
  });

  it('sends an invalid email and gets the typed values back', () => {
    const r = parseContact({ [email]: 'Not an email', [phone]: '', [consent]: 'yes' });
    expect(r.values).to.deep.equal({ [email]: 'Not an email', [phone]: '', [consent]: 'yes' });
  });
});
