# Shared setup for scripts/start, scripts/test and scripts/bench: installs what a fresh machine lacks.
# Sourced, not run. Every step is idempotent and quiet when there is nothing to do.

PNPM_VERSION="12.4.2"
# The runtime: Node 24 LTS. An older machine Node gets Node 24 from the npm registry's node-linux-<arch>
# package (the binary and its headers) in the repository's ignored .tools folder.
NODE_MAJOR_REQUIRED=24
BUKUBESAR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="$BUKUBESAR_ROOT/.tools"

log() { printf '[bukubesar] %s\n' "$*" >&2; }

# Installs an apt package when its command is missing and we are allowed to (root); otherwise says what to do.
ensure_apt_command() {
  local command_name="$1" package_name="$2"
  command -v "$command_name" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing $package_name (provides $command_name)"
    if [ -z "${BUKUBESAR_APT_UPDATED:-}" ]; then
      apt-get update -qq >/dev/null 2>&1 || true
      export BUKUBESAR_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package_name" >/dev/null 2>&1 || {
      log "could not install $package_name"
      return 1
    }
  else
    log "$command_name is missing: install the Debian package $package_name"
    return 1
  fi
}

# Installs an apt package when a file it provides is missing (fonts have no command to look for).
ensure_apt_file() {
  local file_path="$1" package_name="$2"
  [ -e "$file_path" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing $package_name (provides $file_path)"
    if [ -z "${BUKUBESAR_APT_UPDATED:-}" ]; then
      apt-get update -qq >/dev/null 2>&1 || true
      export BUKUBESAR_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package_name" >/dev/null 2>&1 || {
      log "could not install $package_name"
      return 1
    }
  else
    log "$file_path is missing: install the Debian package $package_name"
    return 1
  fi
}

# Noto Sans, embedded in printed reports so names keep every character (without it PDFs fall back to
# Helvetica, which prints characters outside Windows-1252 as "?").
ensure_report_font() {
  ensure_apt_file /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf fonts-noto-core
}

# Puts Node 24 first on PATH: the machine's node when it is new enough, else the one in .tools (fetched
# once from the npm registry). Native modules then build against its headers (npm_config_nodedir; pnpm
# reads that only from the environment).
ensure_node() {
  local machine_major
  machine_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$machine_major" -ge "$NODE_MAJOR_REQUIRED" ] 2>/dev/null; then
    if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
    return 0
  fi
  local architecture
  case "$(uname -m)" in
    x86_64) architecture=x64 ;;
    aarch64 | arm64) architecture=arm64 ;;
    *) log "no Node $NODE_MAJOR_REQUIRED package for $(uname -m): install Node.js $NODE_MAJOR_REQUIRED yourself"; return 1 ;;
  esac
  local node_home="$TOOLS_DIR/node/node_modules/node-linux-$architecture"
  if ! "$node_home/bin/node" --version >/dev/null 2>&1; then
    command -v npm >/dev/null 2>&1 || { log "npm is missing: install Node.js (any version with npm) first"; return 1; }
    log "fetching Node $NODE_MAJOR_REQUIRED (node-linux-$architecture@$NODE_MAJOR_REQUIRED) into .tools/node"
    npm install --prefix "$TOOLS_DIR/node" --no-save --no-package-lock --no-audit --no-fund \
      "node-linux-$architecture@$NODE_MAJOR_REQUIRED" >/dev/null 2>&1 || {
      log "npm could not fetch node-linux-$architecture@$NODE_MAJOR_REQUIRED"
      return 1
    }
  fi
  export PATH="$node_home/bin:$PATH"
  export npm_config_nodedir="$node_home"
  hash -r
}

# pnpm 12.4.2 exactly: the lockfile records it, and other versions refuse to run against it. A different
# pnpm on the machine is left alone: this one goes to .tools/pnpm and comes first on PATH. A machine with no
# pnpm at all also gets 12.4.2 installed globally (ensure_machine_pnpm).
ensure_pnpm() {
  ensure_machine_pnpm
  local local_pnpm_bin="$TOOLS_DIR/pnpm/node_modules/.bin"
  if [ -x "$local_pnpm_bin/pnpm" ] && [ "$("$local_pnpm_bin/pnpm" --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    export PATH="$local_pnpm_bin:$PATH"
    hash -r
    return 0
  fi
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return 0
  fi
  log "installing pnpm $PNPM_VERSION into .tools/pnpm"
  # npm takes the permission for pnpm's install script from the folder's package.json, not a flag.
  mkdir -p "$TOOLS_DIR/pnpm"
  printf '{ "private": true, "allowScripts": { "pnpm": true } }\n' >"$TOOLS_DIR/pnpm/package.json"
  npm install --prefix "$TOOLS_DIR/pnpm" --no-save --no-package-lock --no-audit --no-fund \
    "pnpm@$PNPM_VERSION" >/dev/null 2>&1 || {
    log "npm could not install pnpm $PNPM_VERSION"
    return 1
  }
  export PATH="$local_pnpm_bin:$PATH"
  hash -r
}

# `pnpm bukubesar …` must work in any shell once the scripts have run (the contract), so a machine with no
# pnpm command at all gets pnpm 12.4.2 installed globally, as docs/toolchain.md installs it. It runs on the
# machine's older Node too; scripts/bukubesar.mjs then runs the command itself on Node 24 from .tools.
# Without the right to install globally, the scripts still work with the .tools copy.
ensure_machine_pnpm() {
  # The machine's own PATH, without .tools: there npm is the machine's, and its global folder too (under
  # Node 24 from .tools, npm's "global" folder would be inside .tools).
  local machine_path
  machine_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -F "$TOOLS_DIR" | paste -s -d ':')
  if PATH="$machine_path" bash -c 'command -v pnpm' >/dev/null 2>&1; then return 0; fi
  log "installing pnpm $PNPM_VERSION for the machine (npm install -g), so that \`pnpm bukubesar\` works in any shell"
  PATH="$machine_path" npm install -g --no-audit --no-fund "pnpm@$PNPM_VERSION" --allow-scripts=pnpm \
    >/dev/null 2>&1 ||
    log "could not install pnpm globally; add .tools/pnpm/node_modules/.bin to PATH to run \`pnpm bukubesar\`"
  hash -r
  return 0
}

# What the installed node_modules were made from: the lockfile and the Node major they were built for.
installation_fingerprint() {
  printf '%s node-%s\n' "$(sha256sum "$BUKUBESAR_ROOT/pnpm-lock.yaml" | cut -d' ' -f1)" \
    "$(node -p 'process.versions.modules')"
}

# Installs dependencies from the lockfile when they are missing or were made from another lockfile or for
# another Node ABI. The check is real: the stamp must match and better-sqlite3's native binding must open a
# database, resolved from the package that depends on it (the repository root does not).
ensure_dependencies() {
  local stamp="$BUKUBESAR_ROOT/node_modules/.bukubesar-installed"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(installation_fingerprint)" ] &&
    (cd "$BUKUBESAR_ROOT/packages/event-store" &&
      node -e 'new (require("better-sqlite3"))(":memory:").close()' >/dev/null 2>&1 </dev/null); then
    return 0
  fi
  log "installing dependencies from the lockfile"
  (cd "$BUKUBESAR_ROOT" &&
    { pnpm install --frozen-lockfile --reporter=append-only >/dev/null 2>&1 || pnpm install --frozen-lockfile; }) ||
    return 1
  installation_fingerprint >"$stamp"
}

# Builds the TypeScript sources into each package's dist/ (tsc -b, incremental) when a source, manifest or
# compiler setting changed since the last build, so the service runs as plain JavaScript.
ensure_build() {
  local stamp="$BUKUBESAR_ROOT/services/cli/dist/.bukubesar-built"
  if [ -f "$stamp" ] && [ -z "$(cd "$BUKUBESAR_ROOT" && find packages/*/src services/*/src packages/*/package.json \
    services/*/package.json packages/*/tsconfig.json services/*/tsconfig.json tsconfig.base.json pnpm-lock.yaml \
    -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  log "building (pnpm build)"
  (cd "$BUKUBESAR_ROOT" && pnpm --silent build) || return 1
  touch "$stamp"
}

# Builds the web application (services/web → services/web/dist, served at /) when it was never built or
# when any of its sources (or the money package it uses) changed since.
ensure_web_build() {
  local web="$BUKUBESAR_ROOT/services/web"
  local built="$web/dist/index.html"
  if [ -f "$built" ] && [ -z "$(find "$web/src" "$web/public" "$web/index.html" "$web/vite.config.ts" \
    "$BUKUBESAR_ROOT/packages/money/src" -newer "$built" -print -quit)" ]; then
    return 0
  fi
  log "building the web application (services/web)"
  (cd "$web" && pnpm exec vite build --logLevel warn)
}
