#!/usr/bin/env bash
# Runs every check the project has, fastest first, and stops at the first failure.
#
# 1. formatting and clippy lints
# 2. native tests of every crate
# 3. the core compiles for wasm32 (it stays free of I/O, clocks and threads)
# 4. the web crate's wasm-bindgen tests in headless Chromium
# 5. a release build of the site into dist/, with its size
# 6. the end-to-end tests: Playwright clicks through dist/ in headless Chromium
#
# The output ends with the summary of node's test runner for the last stage.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# Prints a table of the sizes of the release bundle's wasm and JS files.
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
}

stage "setup"
./scripts/setup.sh

stage "cargo fmt --all --check"
cargo fmt --all --check

stage "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

stage "cargo test --workspace"
cargo test --workspace

stage "cargo check -p pte-core --target wasm32-unknown-unknown"
cargo check -p pte-core --target wasm32-unknown-unknown

# The runner (.cargo/config.toml) finds chromedriver through $CHROMEDRIVER and
# reads web/webdriver.json, in the crate's folder where cargo runs its tests.
# WASM_BINDGEN_USE_BROWSER runs a test binary in the browser even when it
# lacks `wasm_bindgen_test_configure!(run_in_browser)`, instead of in node.
stage "cargo test -p web --target wasm32-unknown-unknown (headless Chromium)"
WASM_BINDGEN_USE_BROWSER=1 cargo test -p web --target wasm32-unknown-unknown

stage "trunk build --release"
trunk build --release

stage "release bundle size"
print_bundle_sizes

stage "end-to-end tests (node --test e2e/*.test.mjs)"
node --test --test-reporter=tap --test-concurrency=1 e2e/*.test.mjs
