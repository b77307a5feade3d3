// Tiny web servers for the end-to-end tests: one for the built site (dist/),
// one for pages written by a test (a documentation page that embeds the site).
//
// Both listen on 127.0.0.1 on a free port chosen by the system, so two of
// them are two origins. The site server behaves like a plain static host: it
// serves the folder's files under a base path (`/` or a sub-folder such as
// `/docs/pte/`), with the content types browsers need (application/wasm for
// streaming compilation), redirects the base path without its slash to the
// one with it, and answers anything else with 404.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

const TEXT = "text/plain; charset=utf-8";

/**
 * Starts serving the files of `root` under the path `base` and resolves to
 * `{ url, close }`, where `url` is the site's address, ending in "/" (e.g.
 * `http://127.0.0.1:41234/docs/pte/`). `headers` are added to every answer
 * (e.g. `access-control-allow-origin`). Rejects when `root` has no
 * index.html, that is when the site was not built.
 */
export async function startStaticServer(root, { base = "/", headers = {} } = {}) {
  if (!base.startsWith("/") || !base.endsWith("/")) {
    throw new Error(`base must start and end with "/", not ${JSON.stringify(base)}`);
  }
  const rootDirectory = resolve(root);
  const index = join(rootDirectory, "index.html");
  try {
    await stat(index);
  } catch {
    throw new Error(`${index} is missing: build the site first with \`./scripts/publish.sh\``);
  }
  return listen(async (request) => {
    const pathname = new URL(request.url, "http://localhost").pathname;
    if (pathname === base.slice(0, -1) && base !== "/") {
      return { status: 301, headers: { location: base }, body: "moved", contentType: TEXT };
    }
    if (!pathname.startsWith(base)) {
      return notFound();
    }
    return serveFile(rootDirectory, decodeURIComponent(pathname.slice(base.length)));
  }, { base, headers });
}

/**
 * Starts a server of pages that a test writes, and resolves to
 * `{ url, setPage(path, html), close }`: `setPage("/article.html", html)`
 * makes `url + "article.html"` answer with `html`.
 */
export async function startPageServer() {
  const pages = new Map();
  const server = await listen(async (request) => {
    const html = pages.get(new URL(request.url, "http://localhost").pathname);
    return html === undefined ? notFound() : { status: 200, body: html, contentType: CONTENT_TYPES[".html"] };
  }, { base: "/", headers: {} });
  return { ...server, setPage: (path, html) => pages.set(path, html) };
}

async function listen(respond, { base, headers }) {
  const server = createServer(async (request, response) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { "content-type": TEXT });
        response.end("method not allowed");
        return;
      }
      const answer = await respond(request);
      response.writeHead(answer.status, {
        ...headers,
        ...answer.headers,
        "content-type": answer.contentType,
        "cache-control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : answer.body);
    } catch (error) {
      response.writeHead(500, { "content-type": TEXT });
      response.end(String(error));
    }
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen({ host: "127.0.0.1", port: 0 }, resolveListen);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function notFound() {
  return { status: 404, body: "not found", contentType: TEXT };
}

/** The file at `relativePath` inside `rootDirectory` (a folder's index.html), or 404. */
async function serveFile(rootDirectory, relativePath) {
  const file = normalize(join(rootDirectory, relativePath));
  if (file !== rootDirectory && !file.startsWith(rootDirectory + sep)) {
    return { status: 403, body: "forbidden", contentType: TEXT };
  }
  const info = await stat(file).catch(() => null);
  const path = info?.isDirectory() ? join(file, "index.html") : file;
  const body = await readFile(path).catch(() => null);
  if (body === null) {
    return notFound();
  }
  return { status: 200, body, contentType: CONTENT_TYPES[extname(path)] ?? "application/octet-stream" };
}

// Run directly (`node e2e/server.mjs [dir] [base]`) to look at a build by
// hand, e.g. `node e2e/server.mjs dist /docs/pte/`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const site = await startStaticServer(process.argv[2] ?? "dist", { base: process.argv[3] ?? "/" });
  console.log(`serving at ${site.url} (Ctrl-C stops)`);
}
