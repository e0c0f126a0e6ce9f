# Idempotent setup shared by scripts/up and scripts/test. Source it, then call the
# functions; each one checks first and installs only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing Debian packages: ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

require_node() {
  if ! command -v node >/dev/null; then
    echo "Node.js 20.19 or newer is needed (https://nodejs.org)" >&2
    exit 1
  fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "Node.js 20.19 or newer is needed; found $(node --version)" >&2
    exit 1
  }
}

# Sessions of the local backend run in Python venvs: python3 with venv and pip.
require_python() {
  apt_install git ca-certificates
  if ! command -v python3 >/dev/null; then apt_install python3; fi
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then apt_install python3-venv; fi
}

# R cells (kernel="ir") on the local backend: Debian's IRkernel, whose kernelspec under
# /usr/share/jupyter/kernels/ir every venv's Jupyter server finds.
require_r() {
  apt_install r-cran-irkernel
}

# Debian's Chromium for the browser tests; test tools never download a browser.
require_chromium() {
  command -v chromium >/dev/null || apt_install chromium
}

# The docker backend's tests need a Docker engine and the base image (no registry here).
require_docker() {
  apt_install docker.io docker-compose debootstrap
  if ! docker info >/dev/null 2>&1; then
    log 'Starting the Docker engine (dockerd)'
    as_root sh -c 'nohup dockerd >/var/log/binder-cell-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
    docker info >/dev/null 2>&1 || {
      echo 'dockerd did not start; see /var/log/binder-cell-dockerd.log' >&2
      exit 1
    }
  fi
}

require_base_image() {
  (cd "$ROOT" && npm run --silent build -w @binder-cell/launch-protocol -w @binder-cell/server >/dev/null)
  as_root node "$ROOT/server/bin/binder-cell-server.js" base-image
}

npm_install() {
  local stamp="$ROOT/node_modules/.binder-cell-lock"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log 'Installing npm packages (npm ci)'
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

# Prints the first file the build reads (sources, configs, the lock file) changed since
# the file given; nothing when there is none. Files only: the build itself rewrites the
# packages' folders (dist), and a deleted module changes the files that imported it.
# A fresh npm install empties node_modules, the build's stamp with it.
changed_build_input() {
  find "$ROOT/package.json" "$ROOT/package-lock.json" "$ROOT/tsconfig.base.json" "$ROOT/packages" \
    "$ROOT/server/src" "$ROOT/server/package.json" "$ROOT/server/tsconfig.json" \
    "$ROOT/server/tsconfig.build.json" \
    \( -name node_modules -o -name dist -o -name .cache -o -name __pycache__ \) -prune \
    -o -type f ! -name '*.tsbuildinfo' -newer "$1" -print -quit
}

# Builds only when something the build reads changed since the last build that succeeded
# (its stamp is taken when it starts, so edits made during a build count next time), or
# when an output is missing.
build() {
  local stamp="$ROOT/node_modules/.binder-cell-build"
  if [ -f "$stamp" ] && [ -f "$ROOT/packages/sdk/dist/binder-cell.js" ] &&
    [ -d "$ROOT/packages/launch-protocol/dist" ] && [ -d "$ROOT/server/dist" ] &&
    [ -z "$(changed_build_input "$stamp")" ]; then
    log 'Build is up to date'
    return 0
  fi
  log 'Building (protocol, SDK, server)'
  touch "$stamp.started"
  (cd "$ROOT" && npm run --silent build >/dev/null)
  mv "$stamp.started" "$stamp"
}

# Renders the documentation site (docs/ into docs-site/dist, about a second) for /docs/.
build_docs() {
  log 'Rendering the documentation site'
  (cd "$ROOT" && npm run --silent docs:site -- --quiet >/dev/null)
}
