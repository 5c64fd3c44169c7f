#!/usr/bin/env bash
# Installs, from Debian 12's own packages, everything bgm needs to build, test and draw.
# Idempotent: packages already present are skipped, so a warm machine pays nothing. Extra
# packages may be named as arguments (scripts/fuzz.sh adds clang's).
set -euo pipefail

packages=(
  build-essential cmake ca-certificates git pkg-config
  libtorch-dev            # LibTorch 1.13 (CPU, oneDNN), found by find_package(Torch)
  libopenblas0-openmp     # LibTorch's matrix products (Linear layers) otherwise run on the
                          # reference netlib BLAS: 20x slower (the toy MLP on a 1024^2 grid:
                          # 8 s vs 0.4 s); the OpenMP build shares LibTorch's thread pool
  libjpeg62-turbo-dev libpng-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libgloo-dev             # headers of c10d's Gloo process group (data-parallel runs)
  libgtest-dev            # GoogleTest, built with the project
  gnuplot-nox             # the figures of `bgm report` (PNG and SVG)
  libcmark-gfm-dev libcmark-gfm-extensions-dev  # report.md -> report.html (GitHub tables)
  python3-torch           # tests only: weights exchanged with PyTorch itself (tests/python/)
)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
