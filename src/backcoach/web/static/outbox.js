// The outbox: writes that could not reach the server wait on this device (IndexedDB) and are
// sent again, in order, when the network comes back. Each write carries a client-made
// Idempotency-Key, so a write the server already has is answered from its record and never
// stored twice, however often it is replayed (a lost reply, two tabs, a reload mid-replay).
"use strict";
window.backcoachOutbox = (() => {
  const DB_NAME = "backcoach-outbox";
  const WRITES = "writes"; // {seq, key, path, body, ref}: in the order they were made
  const IDS = "ids"; // a session started offline ("local-...") -> the id the server gave it
  const listeners = [];
  let database = null;
  let flushing = null;

  class Offline extends Error {}
  class Refused extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function open() {
    database ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(WRITES, { keyPath: "seq", autoIncrement: true });
        request.result.createObjectStore(IDS);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return database;
  }

  async function run(store, mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = action(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const queued = () => run(WRITES, "readonly", (s) => s.getAll());
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace(/\D/g, ""));

  async function post(path, body, key) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify(body),
        keepalive: true, // a write sent just before a reload still arrives
      });
    } catch (error) {
      throw new Offline("offline"); // no answer at all: the network, not the server
    }
    const data = await response.json().catch(() => ({}));
    if (response.status >= 500) throw new Offline("server unavailable"); // try again later
    if (!response.ok) {
      throw new Refused(response.status, typeof data.detail === "string" ? data.detail : "Something went wrong. Please try again.");
    }
    return data;
  }

  // A path may name a session started offline as {local-...}: known only once its start is sent.
  async function resolve(path) {
    const match = path.match(/\{(local-[^}]+)\}/);
    if (!match) return path;
    const id = await run(IDS, "readonly", (s) => s.get(match[1]));
    return id === undefined ? null : path.replace(match[0], String(id));
  }

  async function add(path, body, key, ref) {
    await run(WRITES, "readwrite", (s) => s.add({ key, path, body, ref: ref ?? null }));
    notify();
  }

  // Send a write now, after anything that waits before it; with no network, queue it.
  // Returns the server's answer, or null when it was queued (or, with `queue: false`, dropped:
  // for a write that only makes sense now). A refusal (4xx) is thrown.
  async function send(path, body, { key = newKey(), ref = null, queue = true } = {}) {
    if ((await queued()).length) await flush();
    const resolved = (await queued()).length ? null : await resolve(path);
    if (resolved === null) {
      if (queue) await add(path, body, key, ref);
      return null;
    }
    try {
      const data = await post(resolved, body, key);
      if (ref) await run(IDS, "readwrite", (s) => s.put(data.session_id, ref));
      return data;
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      if (queue) await add(path, body, key, ref);
      return null;
    }
  }

  async function flushOnce() {
    for (const item of await queued()) {
      const path = await resolve(item.path);
      if (path === null) return; // its session's start has not gone yet
      try {
        const data = await post(path, item.body, item.key);
        if (item.ref) await run(IDS, "readwrite", (s) => s.put(data.session_id, item.ref));
      } catch (error) {
        if (error instanceof Offline) return; // still offline: keep it, in order
        // Refused (the session ended elsewhere, say): sending it again would not change that.
      }
      await run(WRITES, "readwrite", (s) => s.delete(item.seq));
      notify();
    }
  }

  function flush() {
    flushing ??= flushOnce().catch(() => {}).finally(() => { flushing = null; notify(); });
    return flushing;
  }

  async function notify() {
    const waiting = (await queued()).length;
    listeners.forEach((listener) => listener(waiting));
  }

  window.addEventListener("online", flush);
  window.addEventListener("pageshow", flush);
  return {
    send, flush, newKey, Refused,
    pending: async () => (await queued()).length,
    onChange: (listener) => listeners.push(listener),
  };
})();

