// The page's side of the worker protocol: call(op, args) posts {id, op, args} to the core's
// worker (worker.js) and resolves with its result, or rejects with an Error whose `code` is a
// catalogued code. index.html starts the worker and hands it the core's compiled module.
let worker = null;
let nextId = 0;
const waiting = new Map();

export function startWorker() {
  worker = self.cunwuWorker;
  worker.onmessage = (e) => {
    const { id, ok, result, error } = e.data;
    const w = waiting.get(id);
    if (!w) return;
    waiting.delete(id);
    if (ok) w.resolve(result);
    else w.reject(Object.assign(new Error(`${error.code}: ${error.detail}`), { code: error.code, detail: error.detail }));
  };
  worker.onerror = (e) => console.error('cunwu worker:', e.message);
}

export function call(op, args) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, op, args });
  });
}
