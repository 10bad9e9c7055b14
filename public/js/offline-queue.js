// A queue of submitted responses kept on the device (IndexedDB) until the server confirms each
// one. Sent one at a time, with capped exponential backoff, when the connection returns and on
// every page load. Nothing here runs without JavaScript; the plain form post works on its own.

const DB_NAME = 'community-needs';
const STORE = 'outbox';
const MAX_DELAY_MS = 60_000;
const TIMEOUT_MS = 15_000;

let dbPromise;
function openDb() {
  if (!('indexedDB' in window)) return Promise.reject(new Error('no IndexedDB'));
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'sid' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

async function tx(mode, fn) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const result = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(result?.result ?? result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const queue = {
  put: (item) => tx('readwrite', (s) => s.put(item)),
  remove: (sid) => tx('readwrite', (s) => s.delete(sid)),
  all: () => tx('readonly', (s) => s.getAll()),
  async available() {
    try {
      await openDb();
      return true;
    } catch {
      return false;
    }
  },
};

/** Sends one queued response. Returns 'stored', 'invalid', 'conflict' or 'retry'. */
export async function send(item) {
  let res;
  try {
    res = await fetch(item.action, {
      method: 'POST',
      body: item.body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      credentials: 'same-origin',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { kind: 'retry' };
  }
  if (res.ok) {
    const data = await res.json().catch(() => ({}));
    return { kind: 'stored', redirect: data.redirect };
  }
  if (res.status === 422 || res.status === 400 || res.status === 413) return { kind: 'invalid' };
  if (res.status === 409) return { kind: 'conflict' };
  if (res.status === 404 || res.status === 410) return { kind: 'invalid' };
  return { kind: 'retry' };
}

const listeners = new Set();
export function onQueueChange(fn) {
  listeners.add(fn);
  queue.all().then(fn, () => undefined);
}
async function notify() {
  const items = await queue.all().catch(() => []);
  for (const fn of listeners) fn(items);
}

let timer;
let flushing = false;
/** Sends everything waiting, oldest first, one at a time; on a failure waits longer each time. */
export async function flush() {
  if (flushing) return;
  flushing = true;
  clearTimeout(timer);
  try {
    const items = (await queue.all()).filter((i) => !i.rejected).sort((a, b) => a.createdAt - b.createdAt);
    for (const item of items) {
      const result = await send(item);
      if (result.kind === 'stored') {
        await queue.remove(item.sid);
      } else if (result.kind === 'retry') {
        item.attempts = (item.attempts ?? 0) + 1;
        await queue.put(item);
        const delay = Math.min(MAX_DELAY_MS, 2000 * 2 ** Math.min(item.attempts - 1, 5)) * (0.8 + Math.random() * 0.4);
        timer = setTimeout(flush, delay);
        break;
      } else {
        // The server will never accept it as it is: keep it (for export) but stop retrying.
        item.rejected = result.kind;
        await queue.put(item);
      }
    }
  } catch {
    timer = setTimeout(flush, MAX_DELAY_MS);
  } finally {
    flushing = false;
    await notify();
  }
}

/** Starts sending on page load and whenever the connection comes back. */
export function startQueue() {
  window.addEventListener('online', () => void flush());
  void flush();
}

export function exportFile(items) {
  const blob = new Blob([JSON.stringify({ format: 'community-needs-queue', version: 1, exportedAt: new Date().toISOString(), items }, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `community-needs-queue-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
