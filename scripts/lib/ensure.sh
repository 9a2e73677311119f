# Shared setup for scripts/start, scripts/test and scripts/bench: installs what a fresh machine lacks.
# Sourced, not run. Every step is idempotent and quiet when there is nothing to do.

PNPM_VERSION="12.4.2"

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

# pnpm 12.4.2 exactly: the lockfile records it, and other versions refuse to run against it.
ensure_pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    return 0
  fi
  log "installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --allow-scripts=pnpm >/dev/null 2>&1 || {
    log "npm could not install pnpm $PNPM_VERSION"
    return 1
  }
  hash -r
}

# Installs dependencies from the lockfile; better-sqlite3 compiles against the local Node headers because
# neither its prebuilt download nor node-gyp's header download is reachable everywhere.
ensure_dependencies() {
  if [ -f /usr/include/node/node.h ] && [ -z "${npm_config_nodedir:-}" ]; then
    export npm_config_nodedir=/usr
  fi
  if [ -f node_modules/.modules.yaml ] && [ node_modules/.modules.yaml -nt pnpm-lock.yaml ] &&
    node -e 'require("better-sqlite3")' --input-type=commonjs >/dev/null 2>&1 </dev/null; then
    return 0
  fi
  log "installing dependencies from the lockfile"
  pnpm install --frozen-lockfile --reporter=append-only >/dev/null 2>&1 || pnpm install --frozen-lockfile
}
