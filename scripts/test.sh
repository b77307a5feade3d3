#!/usr/bin/env bash
# Runs every check the project has, fastest first, and stops at the first failure.
#
# 1. formatting and clippy lints
# 2. native tests of every crate
# 3. the core compiles for wasm32 (it stays free of I/O, clocks and threads)
# 4. the web crate's wasm-bindgen tests in headless Chromium
# 5. the site to publish, into dist/ (scripts/publish.sh: release build,
#    checks, sizes)
# 6. the release CLI (for the speed comparison), then the end-to-end tests:
#    Playwright clicks through dist/ in headless Chromium
#
# The output ends with the summary of node's test runner for the last stage
# and the line comparing the browser's exploration time with the CLI's.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

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

# The site exactly as it is published: a release build into dist/, checked,
# with the bundle's sizes. Setup ran above.
stage "./scripts/publish.sh"
PTE_SETUP_DONE=1 ./scripts/publish.sh

# e2e/worker.test.mjs times 3 cycles × 4 readers under x86-TSO in the browser and
# with this binary, and writes both to target/e2e-speed.json.
stage "cargo build --release -p pte-explorer (the native time to compare with)"
cargo build --release -p pte-explorer
export PTE_EXPLORER="$REPO_ROOT/target/release/pte-explorer"
rm -f target/e2e-speed.json

stage "end-to-end tests (node --test e2e/*.test.mjs)"
node --test --test-reporter=tap --test-concurrency=1 e2e/*.test.mjs

# Measured, never asserted: the issue's target is a ratio of 1.5 at most.
node -e '
  const speed = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(
    `speed, 3 cycles x 4 readers under x86-TSO: browser ${Math.round(speed.browser_ms)} ms (web worker), ` +
      `native ${Math.round(speed.native_ms)} ms, browser/native ${speed.ratio.toFixed(2)}; ` +
      `longest main-thread task ${Math.round(speed.longest_task_ms)} ms`,
  );
' target/e2e-speed.json
