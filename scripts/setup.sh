#!/usr/bin/env bash
# Installs every tool that serve.sh and test.sh need; safe to run again.
#
# Each step first checks whether the machine already has what it needs and
# then prints one line: "ok: ..." when it had nothing to do, "installing ..."
# when it changes the machine. A second run only checks, so it takes seconds.
# Everything comes from crates.io, the npm registry or Debian's packages:
# nothing is downloaded from anywhere else, and trunk runs offline.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Waits while another process runs `cargo install CRATE`, so that we check its
# result instead of building the same crate twice side by side.
wait_for_other_cargo_install() {
    local crate="$1"
    command -v pgrep >/dev/null || return 0
    if pgrep -f "cargo install ${crate}( |$)" >/dev/null; then
        printf 'waiting for another "cargo install %s" to finish\n' "$crate"
        while pgrep -f "cargo install ${crate}( |$)" >/dev/null; do
            sleep 5
        done
    fi
}

# How long to wait for another package manager (apt, dpkg, unattended
# upgrades on a fresh machine) to release the apt/dpkg lock.
APT_LOCK_TIMEOUT_SECONDS=600

# Runs apt-get as root, waiting for the apt/dpkg lock instead of failing at
# once with "Could not get lock /var/lib/dpkg/lock-frontend": first while
# another package manager runs (saying so), then through apt-get's own
# lock timeout, which also covers a lock taken in between.
apt_get() {
    if command -v pgrep >/dev/null \
        && pgrep -x 'apt|apt-get|aptitude|dpkg|unattended-upgr' >/dev/null; then
        printf 'waiting for another package manager to release the apt/dpkg lock (up to %s s)\n' \
            "$APT_LOCK_TIMEOUT_SECONDS"
        local waited=0
        while pgrep -x 'apt|apt-get|aptitude|dpkg|unattended-upgr' >/dev/null \
            && ((waited < APT_LOCK_TIMEOUT_SECONDS)); do
            sleep 5
            waited=$((waited + 5))
        done
    fi
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get -o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT_SECONDS" "$@"
}

ensure_rust_target() {
    local target=wasm32-unknown-unknown
    if rustup target list --installed | grep -qx "$target"; then
        ok "rust target $target present"
    else
        installing "rust target $target"
        rustup target add "$target"
    fi
}

ensure_rust_components() {
    local component
    for component in clippy rustfmt; do
        if rustup component list --installed | grep -q "^${component}"; then
            ok "rust component $component present"
        else
            installing "rust component $component"
            rustup component add "$component"
        fi
    done
}

ensure_chromium() {
    if [[ -x $CHROMIUM && -x $CHROMEDRIVER ]]; then
        ok "chromium and chromedriver present ($CHROMIUM, $CHROMEDRIVER)"
    else
        installing "chromium and chromium-driver (Debian packages)"
        apt_get update -qq
        apt_get install -y -qq chromium chromium-driver
    fi
}

# playwright-core drives Chromium in the end-to-end tests; binaryen provides
# the wasm-opt that trunk runs on release builds.
ensure_npm_packages() {
    command -v node >/dev/null || die "node is missing: install Node.js 20 or newer"
    command -v npm >/dev/null || die "npm is missing: install npm"
    local installed_lock=e2e/node_modules/.package-lock.json
    if [[ -f $installed_lock && ! e2e/package-lock.json -nt $installed_lock ]]; then
        ok "npm packages in e2e/ present"
    else
        installing "npm packages in e2e/ (npm ci)"
        (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

ensure_trunk() {
    wait_for_other_cargo_install trunk
    local version
    version="$(trunk --version 2>/dev/null || true)"
    if [[ $version =~ ^trunk\ 0\.21\. ]]; then
        ok "$version present"
    else
        # trunk 0.22 needs a newer rustc than this machine's.
        installing "trunk 0.21 (cargo install, takes several minutes)"
        cargo install trunk --version '^0.21' --locked
    fi
}

# wasm-bindgen's command-line tool must be exactly the version of the
# wasm-bindgen library in Cargo.lock. The crate also brings
# wasm-bindgen-test-runner, which runs the browser tests.
ensure_wasm_bindgen_cli() {
    local wanted
    wanted="$(locked_wasm_bindgen_version)"
    [[ -n $wanted ]] || die "Cargo.lock names no wasm-bindgen version"
    wait_for_other_cargo_install wasm-bindgen-cli
    local version
    version="$(wasm-bindgen --version 2>/dev/null || true)"
    if [[ $version == "wasm-bindgen $wanted" ]] && command -v wasm-bindgen-test-runner >/dev/null; then
        ok "wasm-bindgen-cli $wanted present (matches Cargo.lock)"
    else
        # Without --locked: the crate's own lock file does not build on this rustc.
        installing "wasm-bindgen-cli $wanted (cargo install, takes several minutes)"
        cargo install wasm-bindgen-cli --version "$wanted"
    fi
}

# Trunk.toml pins the versions of the tools trunk may use; trunk runs offline,
# so a mismatch with the installed tools would stop the build.
check_trunk_toml_versions() {
    local locked pinned
    locked="$(locked_wasm_bindgen_version)"
    pinned="$(trunk_toml_value tools wasm_bindgen)"
    [[ $pinned == "$locked" ]] ||
        die "Trunk.toml [tools] wasm_bindgen = \"$pinned\" but Cargo.lock has wasm-bindgen $locked: set it to \"$locked\""

    local wasm_opt_version pinned_wasm_opt
    wasm_opt_version="$(wasm-opt --version)"
    pinned_wasm_opt="$(trunk_toml_value tools wasm_opt)"
    [[ $wasm_opt_version == *"($pinned_wasm_opt)"* ]] ||
        die "Trunk.toml [tools] wasm_opt = \"$pinned_wasm_opt\" but e2e/node_modules has: $wasm_opt_version"
    ok "Trunk.toml tool versions match (wasm-bindgen $locked, wasm-opt $pinned_wasm_opt)"
}

# trunk builds with `cargo build --offline`, so every crate in Cargo.lock must
# already be downloaded; cargo fetch only downloads what is missing.
ensure_crates_fetched() {
    cargo fetch --quiet
    ok "crates in Cargo.lock downloaded"
}

ensure_rust_target
ensure_rust_components
ensure_chromium
ensure_npm_packages
ensure_trunk
ensure_wasm_bindgen_cli
check_trunk_toml_versions
ensure_crates_fetched
