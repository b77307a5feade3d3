#!/usr/bin/env bash
# Builds the explorer in release mode and serves it on http://127.0.0.1:$PORT/.
#
# PORT defaults to 8080. Trunk rebuilds when a source file changes (reload the
# page to see it: Trunk.toml turns trunk's reload script off, since the page's
# Content-Security-Policy refuses inline scripts); Ctrl-C stops it.
#
# It builds into target/serve/, never into dist/, the folder to publish
# (scripts/publish.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

address=127.0.0.1
port="${PORT:-8080}"
if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "PORT must be a number from 1 to 65535, not \"$port\""
fi

# Tries to listen on the port the way trunk will, so that a busy port gives a
# clear message here instead of an error from deep inside trunk.
port_is_free() {
    node -e '
        const server = require("node:net").createServer();
        server.once("error", () => process.exit(1));
        server.listen({ host: process.argv[1], port: Number(process.argv[2]), exclusive: true },
            () => server.close(() => process.exit(0)));
    ' "$address" "$port"
}

exit_if_port_in_use() {
    if ! port_is_free; then
        printf 'port %s on %s is in use; set PORT=... to choose another, e.g. PORT=%s ./scripts/serve.sh\n' \
            "$port" "$address" "$((port == 65535 ? 8081 : port + 1))" >&2
        exit 1
    fi
}

# Check before setup too, when node is already there, so that a busy port
# does not wait for a long first setup to be reported.
if command -v node >/dev/null; then
    exit_if_port_in_use
fi
./scripts/setup.sh
exit_if_port_in_use

printf '\nserving the explorer at http://%s:%s/ (first build takes a minute; Ctrl-C stops)\n\n' "$address" "$port"
exec trunk serve --release --dist target/serve --address "$address" --port "$port"
