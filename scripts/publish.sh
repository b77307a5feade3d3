#!/usr/bin/env bash
# Builds the site to publish into dist/ and checks it.
#
# dist/ is a release build (`trunk build --release`) with relative URLs: copy
# the folder's files into any folder of any static web server. The checks
# below fail the script when dist/index.html holds trunk's development reload
# script or an inline script, lacks its Content-Security-Policy, or names a
# file by an absolute path, or when the bundle is over its size budget; it
# prints the bundle's sizes.
#
# It runs scripts/setup.sh first, unless PTE_SETUP_DONE=1 says that the
# caller just did (scripts/test.sh).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# The most the release bundle (its wasm and JS files, the web worker's
# included) may weigh, in bytes compressed with gzip -9 (issue 11: under
# 250 KB; issue 20 raised it to 300 KB for the coming reader kinds, texts
# and model). What keeps it there: ARCHITECTURE.md, `short_sort` and the web
# crate's views that are plain functions.
BUNDLE_BUDGET_GZIPPED=300000

# Prints a table of the sizes of the release bundle's wasm and JS files, and
# fails when their gzipped total is over the budget.
print_bundle_sizes() {
    local file raw gzipped total_raw=0 total_gzipped=0
    printf '%-40s %12s %12s\n' "file in dist/" "bytes" "gzip -9"
    for file in dist/*.wasm dist/*.js; do
        [[ -e $file ]] || continue
        raw="$(wc -c <"$file")"
        gzipped="$(gzip -9 -c "$file" | wc -c)"
        total_raw=$((total_raw + raw))
        total_gzipped=$((total_gzipped + gzipped))
        printf '%-40s %12d %12d\n' "${file#dist/}" "$raw" "$gzipped"
    done
    printf '%-40s %12d %12d\n' "total" "$total_raw" "$total_gzipped"
    ((total_gzipped < BUNDLE_BUDGET_GZIPPED)) ||
        die "the bundle is $total_gzipped bytes gzipped, over its budget of $BUNDLE_BUDGET_GZIPPED (scripts/publish.sh)"
    ok "the bundle is $total_gzipped bytes gzipped, under its budget of $BUNDLE_BUDGET_GZIPPED"
}

# Fails unless dist/index.html is what may be published.
check_published_page() {
    local index=dist/index.html
    [[ -f $index ]] || die "$index is missing after the build"
    # trunk serve's reload script opens a WebSocket to the development server.
    if grep -q -e 'WebSocket' -e '__TRUNK_' "$index"; then
        die "$index holds trunk's development reload script; it must come from trunk build"
    fi
    grep -q 'http-equiv="Content-Security-Policy"' "$index" ||
        die "$index has no Content-Security-Policy <meta>"
    local inline
    inline="$(grep -o '<script[^>]*>' "$index" | grep -v ' src=' || true)"
    [[ -z $inline ]] ||
        die "$index has an inline script, which its Content-Security-Policy refuses: $inline"
    local absolute
    absolute="$(grep -oE '(src|href)="/[^"]*"' "$index" || true)"
    [[ -z $absolute ]] ||
        die "$index names files from the server's root, which breaks publishing in a folder: $absolute"
    ls dist/*.wasm >/dev/null 2>&1 || die "dist/ holds no .wasm file"
    ok "dist/index.html: no reload script, no inline script, a Content-Security-Policy, relative URLs only"
}

if [[ ${PTE_SETUP_DONE:-} != 1 ]]; then
    ./scripts/setup.sh
fi

stage "trunk build --release (into dist/)"
trunk build --release

stage "check dist/"
check_published_page

stage "release bundle size"
print_bundle_sizes

printf '\ndist/ is ready to publish: copy its files into any folder of a static web server\n'
printf '(which must send .wasm files as application/wasm); README.md, "Publishing and embedding".\n'
