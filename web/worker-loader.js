// Starts the explorer's web worker: a module worker that the app creates
// with this file's address and, in its query, the names of the app's own
// hashed files (`?js=web-….js&wasm=web-…_bg.wasm`, the names boot.js got
// from trunk). It loads that same WebAssembly; the app's main sees it runs in
// a worker and answers the page's exploration requests instead of drawing
// the page. A failure is told to the page, which then explores on its own.

const here = new URL(self.location.href);
try {
  const { default: init } = await import(new URL(here.searchParams.get("js"), here).href);
  await init({ module_or_path: new URL(here.searchParams.get("wasm"), here) });
} catch (error) {
  postMessage(`refused the worker did not start: ${error}`);
}
