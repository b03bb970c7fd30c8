#!/usr/bin/env bash
# Build the R peers of mingdan.estimate (GPL; built beside us, never committed) into a private library:
# LCMCR, SparseMSE (with lpSolve and Rcapture), dga (with Rcpp, RcppArmadillo, chron).
#   benchmarks/peers/build_r_peers.sh [MIRROR_DIR] [LIBRARY_DIR]
# MIRROR_DIR holds bare clones named cran+PACKAGE/repo (the workplace's `fetch github:cran/PACKAGE` puts them in
# /work/.mirror). Needs Debian's r-base-core, r-base-dev and libgsl-dev.
set -euo pipefail
MIRROR=${1:-/work/.mirror}
LIBRARY=${2:-/tmp/mingdan-peers/Rlib}
mkdir -p "$LIBRARY"
for package in Rcpp RcppArmadillo chron lpSolve Rcapture SparseMSE dga LCMCR; do
  if [ -d "$LIBRARY/$package" ]; then continue; fi
  source_dir="$MIRROR/cran+$package/repo"
  if [ ! -d "$source_dir" ]; then echo "missing $source_dir (fetch github:cran/$package)" >&2; exit 1; fi
  work=$(mktemp -d)
  git --git-dir="$source_dir" archive HEAD | tar -x -C "$work"
  R CMD INSTALL -l "$LIBRARY" "$work" >"$work.log" 2>&1 || { tail -20 "$work.log" >&2; exit 1; }
  rm -rf "$work" "$work.log"
done
echo "$LIBRARY"
