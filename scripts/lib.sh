# Shared by scripts/serve, scripts/test and scripts/bench: installs what is
# missing, quietly when it is already there. Source it; do not run it.
# shellcheck shell=bash

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Tools and build output live outside the checkout, so a fresh clone on the
# same machine (CI) builds warm.
BALLAST_CACHE=${BALLAST_CACHE:-$HOME/.cache/ballast}
export BALLAST_CACHE
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$BALLAST_CACHE/target}
export PATH="$HOME/.cargo/bin:$BALLAST_CACHE/tools/binaryen/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132

say() { printf '==> %s\n' "$*"; }
# Set by every install step, so a run that installed nothing can say so.
INSTALLED_SOMETHING=0
installing() { INSTALLED_SOMETHING=1; say "$@"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    installing "installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >/dev/null
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    installing "installing Trunk $TRUNK_VERSION (builds from source: about 15 minutes on 2 cores)"
    cargo install --locked trunk --version "$TRUNK_VERSION" --quiet
  fi
}

ensure_wasm_bindgen() {
  local want
  want=$(wasm_bindgen_version)
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $want" ] \
     || ! command -v wasm-bindgen-test-runner >/dev/null; then
    installing "installing wasm-bindgen-cli $want (about 3 minutes)"
    # Not --locked: the CLI's own lockfile pins crates this toolchain may not build.
    cargo install wasm-bindgen-cli --version "$want" --quiet
  fi
}

ensure_wasm_opt() {
  # Debian's binaryen is too old and breaks the module; npm's matches Trunk.toml.
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    installing "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    mkdir -p "$BALLAST_CACHE/tools/binaryen"
    (cd "$BALLAST_CACHE/tools/binaryen" \
      && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
      && npm install --silent --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null)
  fi
}

ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    installing "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# node_modules from the committed lockfile, reinstalled only when it changes.
ensure_node_deps() {
  local dir=$1 stamp
  stamp="$dir/node_modules/.ballast-lock-hash"
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    installing "installing node packages in ${dir#"$ROOT"/} (npm ci)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
    echo "$want" > "$stamp"
  fi
}

# The npm libraries index.html copies into dist/ (ECharts for the charts).
ensure_web_assets() {
  ensure_node_deps "$ROOT"
}

ensure_site_tools() {
  ensure_rust_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_web_assets
}

CARGO_FUZZ_VERSION=0.13.2
CARGO_DENY_VERSION=0.20.2

# The nightly toolchain and cargo-fuzz, for fuzz/ (scripts/fuzz).
ensure_fuzz_tools() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    installing "installing the nightly Rust toolchain (for cargo-fuzz)"
    rustup toolchain install nightly --profile minimal >/dev/null
  fi
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    installing "installing cargo-fuzz $CARGO_FUZZ_VERSION (about 3 minutes)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --quiet
  fi
}

# cargo-deny, for the licence, ban and source checks (deny.toml).
ensure_cargo_deny() {
  if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
    installing "installing cargo-deny $CARGO_DENY_VERSION (about 5 minutes)"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked --quiet
  fi
}

# One line when nothing needed installing.
report_installs() {
  [ "$INSTALLED_SOMETHING" -eq 1 ] || say "all tools already installed"
}

# Builds the release site into dist/ and prints its sizes.
build_site() {
  ensure_web_assets
  (cd "$ROOT" && cargo fetch --quiet && trunk build --release --quiet)
  node "$ROOT/scripts/site-sizes.mjs" "$ROOT/dist"
}
