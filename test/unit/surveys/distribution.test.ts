import { expect } from 'chai';
import { checkPoster, normalizeTag, parseLinkTarget, posterPath, posterValues, targetPath } from '../../../surveys/distribution.service.js';
import { AppError } from '../../../server/errors.js';

const LOCATIONS = ['Main Branch', 'Teen Room'];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'no error';
}

describe('distribution links', () => {
  it('reads kind=web with a tag and builds /s/slug?ch=tag', () => {
    const target = parseLinkTarget({ kind: 'web', ch: 'Flyer-School' }, LOCATIONS);
    expect(target).to.deep.equal({ kind: 'web', tag: 'flyer-school' });
    expect(targetPath('community-needs', target)).to.equal('/s/community-needs?ch=flyer-school');
  });

  it('reads kind=kiosk with a saved location and builds /kiosk/slug?location=… with %20 for spaces', () => {
    const target = parseLinkTarget({ kind: 'kiosk', location: 'Teen Room' }, LOCATIONS);
    expect(targetPath('community-needs', target)).to.equal('/kiosk/community-needs?location=Teen%20Room');
  });

  it('defaults to the plain web link and refuses anything else with a 400 code', () => {
    expect(parseLinkTarget({}, LOCATIONS)).to.deep.equal({ kind: 'web', tag: '' });
    expect(code(() => parseLinkTarget({ kind: 'kiosk', location: 'Attic' }, LOCATIONS))).to.equal('400 unknownLocation');
    expect(code(() => parseLinkTarget({ ch: 'has space' }, LOCATIONS))).to.equal('400 invalidTag');
    expect(code(() => parseLinkTarget({ ch: ['a', 'b'] }, LOCATIONS))).to.equal('400 invalidTag');
    expect(code(() => parseLinkTarget({ kind: 'https://evil.example' }, LOCATIONS))).to.equal('400 invalidLinkKind');
  });

  it('accepts tags of 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit', () => {
    expect(normalizeTag('a')).to.equal('a');
    expect(normalizeTag('x'.repeat(40))).to.equal('x'.repeat(40));
    expect(normalizeTag('x'.repeat(41))).to.equal(null);
    expect(normalizeTag('-flyer')).to.equal(null);
    expect(normalizeTag('flyer_school')).to.equal(null);
  });

  it('checks a poster choice: size, one to three of the survey languages, optional tag', () => {
    const ok = checkPoster(posterValues({ size: 'a4', langs: ['en', 'es,ar'], ch: '' }), ['en', 'es', 'ar']);
    expect(ok.problems).to.deep.equal([]);
    expect(posterPath('s', ok.choice)).to.equal('/staff/surveys/s/poster?size=a4&langs=en%2Ces%2Car');
    const bad = checkPoster(posterValues({ size: 'tabloid', langs: 'en,zh-Hans', ch: 'A B' }), ['en', 'es']);
    expect(bad.problems.map((p) => `${p.field}:${p.code}`)).to.deep.equal(['size:invalidPosterSize', 'langs:invalidLanguages', 'ch:invalidTag']);
  });
});
