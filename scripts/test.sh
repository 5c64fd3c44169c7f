#!/usr/bin/env bash
# Install, build, and run the whole test suite (GoogleTest under CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
