// `npm run create-admin -- --email you@library.org --name "Your Name"`: creates an
// administrator. The password is asked for (hidden), or read from ADMIN_PASSWORD.
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { ValidationError } from '../server/errors.js';
import { createUser } from '../surveys/user.service.js';
import { argument, withDatabase } from './cli.js';

async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = rl.question(question);
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stdout.write('\n');
  return value.trim();
}

await withDatabase(async () => {
  const email = argument('email') ?? (await ask('Email: '));
  const name = argument('name') ?? (await ask('Name: '));
  const password = process.env.ADMIN_PASSWORD ?? (await ask('Password (at least 12 characters): ', true));
  try {
    const user = await createUser({ email, name, role: 'admin', password });
    console.log(`Administrator ${user.email} created. Sign in at /login.`);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    for (const p of err.problems) console.error(`  ${p.field}: ${p.code}`);
    process.exitCode = 1;
  }
});
