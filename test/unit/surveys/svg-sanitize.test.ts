import { expect } from 'chai';
import { JSDOM } from 'jsdom';
import { sanitizeSvg, svgProblems } from '../../../surveys/svg-sanitize.js';
import { HOSTILE_SVG, PLAIN_SVG } from '../../fixtures/images.js';

const svg = (body: string, attrs = ''): string => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${body}</svg>`;

function cleaned(input: string): string {
  const result = sanitizeSvg(input);
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result.svg;
}

describe('sanitizeSvg (uploaded SVG logos)', () => {
  it('keeps a plain logo: shapes, text, viewBox', () => {
    const out = cleaned(PLAIN_SVG);
    expect(out).to.contain('viewBox="0 0 120 40"').and.contain('<text').and.contain('Library');
  });

  it('removes every script, handler, foreignObject, external reference and CSS import from a hostile file', () => {
    const out = cleaned(HOSTILE_SVG);
    for (const bad of ['<script', 'onload', 'onclick', 'foreignObject', 'evil.example', 'javascript:', '@import']) expect(out, bad).to.not.contain(bad);
    expect(svgProblems(new JSDOM(out, { contentType: 'image/svg+xml' }).window.document.documentElement)).to.deep.equal([]);
  });

  it('keeps local references (#id) and drops external ones on <use>, <image> and <a>', () => {
    const out = cleaned(svg('<defs><circle id="c" r="2"/></defs><a href="#c"><text>t</text></a><image href="data:image/png;base64,AAAA"/><a xlink:href="https://evil.example/"><text>x</text></a>'));
    expect(out).to.contain('href="#c"');
    expect(out).to.not.contain('data:image').and.not.contain('evil.example');
  });

  it('drops style attributes and elements that fetch (url(), @import, escapes)', () => {
    const out = cleaned(svg('<style>rect{fill:u\\72l(https://evil.example/)}</style><rect style="fill:url(https://evil.example/)" width="1" height="1"/><rect style="fill:#000" width="1" height="1"/>'));
    expect(out).to.not.contain('evil.example');
    expect(out).to.contain('fill:#000');
  });

  it('removes animation that could turn a link into javascript:', () => {
    const out = cleaned(svg('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>'));
    expect(out).to.not.contain('javascript:').and.not.contain('<set').and.not.contain('<animate');
  });

  for (const [name, input] of [
    ['malformed XML', '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'],
    ['an svg root without the SVG namespace', '<svg><rect/></svg>'],
    ['HTML pretending to be SVG', '<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>'],
    ['entity declarations', '<!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>'],
  ] as const) {
    it(`refuses ${name} as logoSvgInvalid`, () => {
      expect(sanitizeSvg(input)).to.deep.equal({ ok: false, code: 'logoSvgInvalid' });
    });
  }

  it('svgProblems names what a sanitizer must never let through', () => {
    const doc = new JSDOM(svg('<script>1</script><rect onclick="x"/><use href="https://e.example/#a"/><style>@import url(x)</style>'), { contentType: 'image/svg+xml' });
    expect(svgProblems(doc.window.document.documentElement)).to.have.length(4);
  });
});
