#!/usr/bin/env bash
# System packages the real tests need: Debian's Chromium (browser tests through playwright) and
# PostgreSQL with PostGIS (the service's multi-user database). Installs only what is missing.
# The PostGIS extension itself (postgis.control) is in postgresql-<ver>-postgis-3, which `postgis` only
# recommends; the metapackage postgresql-postgis brings it with --no-install-recommends.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need+=(postgis postgresql-postgis)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup-system: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
