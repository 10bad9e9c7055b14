import type { Connection } from 'mongoose';

/** What is read of a driver client (Mongoose ships its own copy of the driver, so no driver types). */
interface TopologyEvent {
  newDescription: { type: string; hasDataBearingServers: boolean };
}
interface MonitoredClient {
  on(event: 'topologyDescriptionChanged', listener: (event: TopologyEvent) => void): unknown;
  on(event: 'serverHeartbeatFailed', listener: (event: { failure?: Error }) => void): unknown;
  on(event: 'serverHeartbeatSucceeded' | 'connectionPoolCleared', listener: () => void): unknown;
  on(event: 'connectionCheckOutFailed', listener: (event: { reason: string; error?: Error }) => void): unknown;
}

/**
 * Whether the database is known to be away, from the driver's own monitoring (each heartbeat,
 * and every operation that hits a dead connection, updates the topology description) plus
 * respondent reads that failed or did not answer in time. Respondent pages ask this before they
 * read, so once the database is known to be away they answer from memory at once instead of
 * waiting out a timeout per query. The next successful heartbeat or read clears it.
 */
let away = false;
let awaySince: Date | null = null;
let reason = '';
const watched = new WeakSet<object>();

export interface DatabaseAvailability {
  away: boolean;
  since: Date | null;
  reason: string;
}

export function databaseAvailability(): DatabaseAvailability {
  return { away, since: awaySince, reason };
}

/** True while the database is known to be unreachable (or not answering respondent reads in time). */
export function databaseKnownAway(): boolean {
  return away;
}

/** Told when the database goes away and when it answers again (the app logs both). */
type Listener = (change: { away: boolean; reason: string; since: Date | null }) => void;
let listener: Listener | undefined;
export function onAvailabilityChange(fn: Listener | undefined): void {
  listener = fn;
}

export function markDatabaseAway(why: string): void {
  const was = away;
  if (!away) awaySince = new Date();
  away = true;
  reason = why;
  if (!was) listener?.({ away: true, reason: why, since: awaySince });
}

export function markDatabaseUp(): void {
  const was = away;
  const since = awaySince;
  away = false;
  awaySince = null;
  reason = '';
  if (was) listener?.({ away: false, reason: '', since });
}

/** A primary (or standalone, or mongos) the app can read from and write to. */
function usable(event: TopologyEvent): boolean {
  const description = event.newDescription;
  if (description.type === 'ReplicaSetNoPrimary' || description.type === 'Unknown') return false;
  return description.hasDataBearingServers;
}

/** Follows one client's topology and one Mongoose connection (called once connected). */
export function watchDatabase(client: MonitoredClient, connection?: Connection): void {
  if (watched.has(client)) return;
  watched.add(client);
  let lastFailure = '';
  client.on('serverHeartbeatFailed', (event) => {
    lastFailure = event.failure?.message ?? '';
  });
  client.on('topologyDescriptionChanged', (event) => (usable(event) ? markDatabaseUp() : markDatabaseAway(lastFailure || 'no usable server')));
  // An operation that cannot open a connection (the server was killed) is the first sign, well
  // before the next heartbeat: the driver does not mark the server unknown for it.
  client.on('connectionCheckOutFailed', (event) => {
    if (event.reason === 'connectionError') markDatabaseAway(event.error?.message ?? 'connection refused');
  });
  client.on('connectionPoolCleared', () => markDatabaseAway('connection pool cleared'));
  // The next answered heartbeat is the sign it answers again.
  client.on('serverHeartbeatSucceeded', () => markDatabaseUp());
  connection?.on('disconnected', () => markDatabaseAway('disconnected'));
  connection?.on('reconnected', () => markDatabaseUp());
}


/**
 * A respondent page's read, given at most `ms` when there is something to fall back on: after
 * that the caller uses its last known copy (and the database counts as away until the next
 * heartbeat), while the read itself carries on and refreshes the copy when it lands.
 */
export async function readWithin<T>(read: Promise<T>, ms: number): Promise<{ value: T } | { late: true }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ late: true }>((resolve) => {
    timer = setTimeout(() => resolve({ late: true }), ms);
  });
  try {
    const result = await Promise.race([read.then((value) => ({ value })), late]);
    if ('late' in result) {
      markDatabaseAway('a respondent read did not answer in time');
      read.catch(() => undefined);
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}
