import { expect } from 'chai';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { getCatalog } from '../../../surveys/catalog.service.js';
import { buildDefinition } from '../../fixtures/builders.js';

describe('smoke', () => {
  it('validates the fixture definition', () => {
    const r = validateDefinition(buildDefinition(), getCatalog().topicIds);
    expect(r.ok, JSON.stringify(r)).to.equal(true);
  });
});
