// `npm run db:install`: builds the local FerretDB into the tools cache (CI calls it up front).
import { loadConfig } from '../config.js';
import { ensureFerretDb } from './ferretdb.js';

const config = loadConfig();
const bin = config.FERRETDB_BIN ?? (await ensureFerretDb(config.TOOLS_CACHE_DIR, (m) => console.log(m)));
if (!bin) {
  console.error('Go is not installed, so FerretDB cannot be built. Install Go, or set MONGODB_URI.');
  process.exit(1);
}
console.log(`FerretDB ready: ${bin}`);
