// A tiny static file server for the built site (dist/), used by the end-to-end tests.
//
// It listens on 127.0.0.1 on a free port chosen by the system, serves files
// with the content types browsers need (application/wasm for streaming
// compilation), and answers unknown paths without a file extension with
// index.html, as trunk serve does for a single-page app.

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

/**
 * Starts serving `root` and resolves to `{ url, close }`, where `url` ends in "/".
 * Rejects when `root` has no index.html, that is when the site was not built.
 */
export async function startStaticServer(root) {
  const rootDirectory = resolve(root);
  const index = join(rootDirectory, "index.html");
  try {
    await stat(index);
  } catch {
    throw new Error(`${index} is missing: build the site first with \`trunk build --release\``);
  }

  const server = createServer(async (request, response) => {
    try {
      const { status, body, contentType } = await respond(rootDirectory, index, request);
      response.writeHead(status, {
        "content-type": contentType,
        "cache-control": "no-store",
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch (error) {
      response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end(String(error));
    }
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once("error", rejectListen);
    server.listen({ host: "127.0.0.1", port: 0 }, resolveListen);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

async function respond(rootDirectory, index, request) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return { status: 405, body: "method not allowed", contentType: "text/plain; charset=utf-8" };
  }
  const pathname = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  const file = normalize(join(rootDirectory, pathname));
  if (file !== rootDirectory && !file.startsWith(rootDirectory + sep)) {
    return { status: 403, body: "forbidden", contentType: "text/plain; charset=utf-8" };
  }

  let path = file;
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory()) {
    path = join(path, "index.html");
  } else if (!info) {
    if (extname(pathname) !== "") {
      return { status: 404, body: "not found", contentType: "text/plain; charset=utf-8" };
    }
    path = index;
  }
  const body = await readFile(path).catch(() => null);
  if (body === null) {
    return { status: 404, body: "not found", contentType: "text/plain; charset=utf-8" };
  }
  const contentType = CONTENT_TYPES[extname(path)] ?? "application/octet-stream";
  return { status: 200, body, contentType };
}

// Run directly (`node e2e/server.mjs [dir]`) to look at a build by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const site = await startStaticServer(process.argv[2] ?? "dist");
  console.log(`serving at ${site.url} (Ctrl-C stops)`);
}
