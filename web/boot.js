// Starts the explorer: imports the wasm-bindgen module and has it compile and
// run the WebAssembly. Trunk writes both files' hashed names on this script's
// element (Trunk.toml, `pattern_script`) and copies this file next to them.
// It is a file rather than trunk's usual inline script so that the page's
// Content-Security-Policy can refuse every inline script.
//
// It also starts the explorations' web worker first, so that the worker
// loads and compiles its WebAssembly while the page compiles and draws its
// own: the app takes it over (`PageWorker::start` in web/src/browser/worker.rs)
// with the events it sent meanwhile, kept in order in `events`. The address is
// the one the app would build: `data-worker`, with the app's files in the query.

const element = document.querySelector("script[data-wasm]");
const here = import.meta.url;
if (element.dataset.worker) {
  try {
    const query = `js=${encodeURIComponent(element.dataset.js)}&wasm=${encodeURIComponent(element.dataset.wasm)}`;
    const worker = new Worker(`${element.dataset.worker}?${query}`, { type: "module" });
    const events = [];
    worker.onmessage = (event) => events.push(event);
    worker.onerror = (event) => {
      // The app reports it when it takes the worker over.
      event.preventDefault();
      events.push(event);
    };
    window.__pteWorker = { worker, events };
  } catch {
    // A frame with an opaque origin refuses workers: the app explores in the page.
  }
}
const { default: init } = await import(new URL(element.dataset.js, here).href);
await init({ module_or_path: new URL(element.dataset.wasm, here) });
