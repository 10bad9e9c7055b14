import { loadConfig, type Config } from '../server/config.js';
import { openDatabase } from '../server/db/open.js';

/** Runs a command-line task with the database open (MONGODB_URI or the local one), then closes it. */
export async function withDatabase(task: (config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { info: (msg: unknown) => console.log(String(msg)), warn: (msg: unknown) => console.error(String(msg)), error: (msg: unknown) => console.error(String(msg)) });
  try {
    await task(config);
  } finally {
    await db.close();
  }
}

/** `--name value` or `--name=value` from the command line. */
export function argument(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}
