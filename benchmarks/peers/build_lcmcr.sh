#!/usr/bin/env bash
# Build R's LCMCR (GPL; the benchmark peer, never committed) into a private R library outside the repository.
#   benchmarks/peers/build_lcmcr.sh [SOURCE_GIT_DIR] [LIBRARY_DIR]
# Needs Debian's r-base-core, r-base-dev and libgsl-dev; SOURCE_GIT_DIR is a clone of github.com/cran/LCMCR
# (the workplace's `fetch github:cran/LCMCR` puts one in /work/.mirror/cran+LCMCR/repo).
set -euo pipefail
SOURCE=${1:-/work/.mirror/cran+LCMCR/repo}
LIBRARY=${2:-/tmp/mingdan-peers/Rlib}
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  dpkg -s r-base-dev libgsl-dev >/dev/null 2>&1 || apt-get install -y -q r-base-core r-base-dev libgsl-dev >/dev/null
fi
WORK=$(mktemp -d)
if [ -d "$SOURCE/.git" ]; then GITDIR="$SOURCE/.git"; else GITDIR="$SOURCE"; fi
git --git-dir="$GITDIR" archive HEAD | tar -x -C "$WORK"
mkdir -p "$LIBRARY"
R CMD INSTALL --no-test-load -l "$LIBRARY" "$WORK" >/dev/null 2>&1
echo "$LIBRARY"
