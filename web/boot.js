// Starts the explorer (see ARCHITECTURE.md, "web/boot.js"): first the web
// worker, which the app takes over from window.__pteWorker with the events
// it sent meanwhile, so that it compiles while the page does; then the app.
// The embed view (?embed=1, read as web/src/browser.rs reads it) never
// explores, so a page that embeds it starts no worker.
const element = document.querySelector("script[data-wasm]");
const here = import.meta.url;
const embedded = new URLSearchParams(location.search).getAll("embed").some((value) => value !== "0" && value !== "false");
if (element.dataset.worker && !embedded) {
  try {
    const query = `js=${encodeURIComponent(element.dataset.js)}&wasm=${encodeURIComponent(element.dataset.wasm)}`;
    const worker = new Worker(`${element.dataset.worker}?${query}`, { type: "module" });
    const events = [];
    worker.onmessage = (event) => events.push(event);
    worker.onerror = (event) => {
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
