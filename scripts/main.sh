#!/usr/bin/env bash
# The main job from nothing: install, build, then run the paper's study with the CPU preset on
# the embedded CIFAR-10 subset. Extra arguments go to `bgm reproduce` (e.g. --seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh bgm_cli
./build/bgm reproduce --preset quick "$@"
