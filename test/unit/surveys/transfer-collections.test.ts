import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { archivedNames, isArchivedName, NOT_ARCHIVED } from '../../../surveys/transfer/collections.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every collection the app's code names: Mongoose models (`mongoose.model('X', schema, 'name')`) and stores given a `collectionName`. */
function collectionsInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...sources('server'), ...sources('surveys')]) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/mongoose\.model\(\s*'[^']+'\s*,\s*\w+\s*,\s*'([^']+)'\s*\)/g)) found.set(m[1]!, file);
    for (const m of text.matchAll(/collectionName:\s*'([^']+)'/g)) found.set(m[1]!, file);
  }
  return found;
}

describe('backup collections', () => {
  it('every collection in the code is either archived or left out with a reason (a new model must choose)', () => {
    const found = collectionsInCode();
    expect(found.size).to.be.above(10);
    for (const [name, file] of found) {
      expect(isArchivedName(name) || Object.hasOwn(NOT_ARCHIVED, name), `${name} (${file}) is neither archived nor in NOT_ARCHIVED`).to.equal(true);
    }
  });

  it('no collection is both archived and left out; sessions, rate limits and counters are left out; contacts only with --with-contacts', () => {
    for (const name of Object.keys(NOT_ARCHIVED)) expect(isArchivedName(name), name).to.equal(false);
    expect(Object.keys(NOT_ARCHIVED)).to.include.members(['sessions', 'rate_limits', 'tallies']);
    expect(archivedNames(false)).to.not.include('contacts');
    expect(archivedNames(true)).to.include('contacts');
    expect(archivedNames(false)).to.include.members(['surveys', 'survey_versions', 'responses', 'spam_responses', 'partners', 'settings', 'users']);
  });
});
