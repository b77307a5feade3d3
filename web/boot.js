// Starts the explorer: imports the wasm-bindgen module and has it compile and
// run the WebAssembly. Trunk writes both files' hashed names on this script's
// element (Trunk.toml, `pattern_script`) and copies this file next to them.
// It is a file rather than trunk's usual inline script so that the page's
// Content-Security-Policy can refuse every inline script.

const element = document.querySelector("script[data-wasm]");
const here = import.meta.url;
const { default: init } = await import(new URL(element.dataset.js, here).href);
await init({ module_or_path: new URL(element.dataset.wasm, here) });
