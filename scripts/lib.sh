# Shared helpers for the scripts in this folder; sourced, never run.
# shellcheck shell=bash
#
# Sets REPO_ROOT, makes the tools that setup.sh installs reachable on PATH,
# and defines the one-line step messages that setup.sh and test.sh print.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# cargo install puts trunk and wasm-bindgen in ~/.cargo/bin; npm puts wasm-opt
# (from the binaryen package) in e2e/node_modules/.bin, where trunk finds it by
# name on PATH.
export PATH="$REPO_ROOT/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Trunk asks crates.io whether a newer trunk exists; nothing here needs it.
export TRUNK_SKIP_VERSION_CHECK=true

# Debian's Chromium and ChromeDriver, installed by setup.sh.
export CHROMIUM=/usr/bin/chromium
export CHROMEDRIVER=/usr/bin/chromedriver

# Prints "ok: WHAT" for a step that had nothing to do.
ok() {
    printf 'ok: %s\n' "$*"
}

# Prints "installing WHAT" before a step that changes the machine.
installing() {
    printf 'installing %s\n' "$*"
}

# Prints a heading before each stage of test.sh.
stage() {
    printf '\n==> %s\n' "$*"
}

# Prints an error and exits.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Prints the wasm-bindgen version that Cargo.lock pins.
locked_wasm_bindgen_version() {
    awk '
        $0 == "name = \"wasm-bindgen\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$REPO_ROOT/Cargo.lock"
}

# Prints the value of `key = "value"` under [section] in Trunk.toml.
trunk_toml_value() {
    local section="$1" key="$2"
    awk -v section="[$section]" -v key="$key" '
        /^\[/ { in_section = ($0 == section); next }
        in_section && $1 == key { gsub(/"/, "", $3); print $3; exit }
    ' "$REPO_ROOT/Trunk.toml"
}
