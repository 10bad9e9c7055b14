// `npx tsx bench/profile-summary.ts [file.cpuprofile]`: the functions that used the most CPU (self
// time) in a V8 profile written by `npm run bench -- --cpu-prof` (the newest one by default), with
// where they live, so a missed target can be traced to code rather than guessed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data', 'profiles');
const file =
  process.argv[2] ??
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
if (!file) throw new Error(`no .cpuprofile in ${dir}: run npm run bench -- --cpu-prof --skip-data first`);

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
// Self time per node: each sample's time delta belongs to the node sampled.
const selfUs = new Map<number, number>();
(profile.samples ?? []).forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
const where = (n: ProfileNode): string => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const short = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : path.relative(process.cwd(), url) || url || '(native)';
  return `${n.callFrame.functionName || '(anonymous)'} ${short}${url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
};
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const n of profile.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  total += us;
  byFunction.set(where(n), (byFunction.get(where(n)) ?? 0) + us);
  const url = n.callFrame.url;
  const pkg = url.includes('/node_modules/') ? url.split('/node_modules/').pop()!.split('/').slice(0, url.split('/node_modules/').pop()!.startsWith('@') ? 2 : 1).join('/') : url.startsWith('file://') ? '(app)' : url ? '(node)' : n.callFrame.functionName || '(native)';
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const top = (m: Map<string, number>, k: number): string[] =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
console.log(`${path.relative(process.cwd(), file)}: ${(total / 1e6).toFixed(1)} s of samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s\n`);
console.log('By package (self time):');
console.log(top(byPackage, 15).join('\n'));
console.log('\nBy function (self time):');
console.log(top(byFunction, 25).join('\n'));
