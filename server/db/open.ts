import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { connectDatabase, disconnectDatabase } from './connection.js';
import { startLocalServer, type LocalServer } from './local-server.js';

export interface OpenDatabase {
  uri: string;
  local?: LocalServer;
  close(): Promise<void>;
}

/**
 * Connects to MONGODB_URI, or starts the local database (under DATA_DIR) and connects to it.
 * The server and the command-line scripts all open the database this way.
 */
export async function openDatabase(config: Config, log: Pick<Logger, 'info' | 'warn' | 'error'>): Promise<OpenDatabase> {
  let local: LocalServer | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    local = await startLocalServer({
      dataDir: config.DATA_DIR,
      port: config.LOCAL_DB_PORT,
      cacheDir: config.TOOLS_CACHE_DIR,
      dbName: 'community-needs',
      ...(config.FERRETDB_BIN ? { ferretDbBin: config.FERRETDB_BIN } : {}),
      log: (msg) => log.info(msg),
      serverLog: (level, msg) => log[level](msg),
    });
    uri = local.uri;
    log.info(`local database ${local.shared ? 'in use' : 'started'} (${local.kind}, port ${local.port})`);
  }
  try {
    await connectDatabase(uri);
  } catch (err) {
    await local?.stop();
    throw err;
  }
  return {
    uri,
    ...(local ? { local } : {}),
    async close() {
      await disconnectDatabase().catch(() => undefined);
      await local?.stop().catch(() => undefined);
    },
  };
}
