import os from 'node:os';
import type { Db } from 'mongodb';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  /** e.g. "FerretDB v1.24.2 (SQLite)" or "MongoDB 7.0.14". */
  database: string;
  loadBefore: string[];
  loadAfter: string[];
}

const load = (): string[] => os.loadavg().map((x) => x.toFixed(2));

/** What the numbers were measured on, including the load other processes put on the machine. */
export async function describeMachine(db: Db, kind: string): Promise<Machine> {
  const info = (await db.command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string };
  const database = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion} (SQLite backend, reports MongoDB ${info.version})` : `MongoDB ${info.version ?? '?'} (${kind})`;
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    database,
    loadBefore: load(),
    loadAfter: [],
  };
}

export function finishMachine(m: Machine): Machine {
  return { ...m, loadAfter: load() };
}
