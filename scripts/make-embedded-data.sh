#!/usr/bin/env bash
# Rebuilds data/cifar10-small/, the class-balanced CIFAR-10 subset bgm uses when given no --data.
# It takes the first TRAIN_PER_CLASS training and TEST_PER_CLASS test images of every class
# (files NNNN.jpg in numeric order) from the real CIFAR-10 JPEG archive, byte for byte, after
# checking the archive's sha256, so the subset is exactly reproducible.
# Usage: scripts/make-embedded-data.sh [ARCHIVE]   (default ../shared/data/cifar10-jpeg.tar.gz)
set -euo pipefail
archive=$(realpath "${1:-$(dirname "$0")/../../shared/data/cifar10-jpeg.tar.gz}")
cd "$(dirname "$0")/.."
expected_sha256=c3ea23b1300534709a10bd63c5fd70036fb949bf1e0acf0aa6af81dbbb4a49ae
train_per_class=500
test_per_class=200
out=data/cifar10-small

actual=$(sha256sum "$archive" | cut -d' ' -f1)
if [[ "$actual" != "$expected_sha256" ]]; then
  echo "make-embedded-data: $archive has sha256 $actual, expected $expected_sha256" >&2
  exit 1
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tar -xzf "$archive" -C "$tmp"
rm -rf "$out.tmp"; mkdir -p "$out.tmp"
for split in train test; do
  n=$([[ $split == train ]] && echo $train_per_class || echo $test_per_class)
  for class_dir in "$tmp/$split"/*/; do
    class=$(basename "$class_dir")
    mkdir -p "$out.tmp/$split/$class"
    mapfile -t files < <(ls "$class_dir" | sort)
    for f in "${files[@]:0:$n}"; do cp "$class_dir/$f" "$out.tmp/$split/$class/"; done
  done
done
cat > "$out.tmp/SOURCE.md" <<TXT
# cifar10-small

Real CIFAR-10 images: the first $train_per_class training and $test_per_class test images of each
of the 10 classes (CIFAR-10's label order: airplane, automobile, bird, cat, deer, dog, frog, horse,
ship, truck), copied byte for byte from \`cifar10-jpeg.tar.gz\`
(sha256 \`$expected_sha256\`), a public JPEG re-encoding of CIFAR-10.
Made by \`scripts/make-embedded-data.sh\`.
TXT
rm -rf "$out"; mv "$out.tmp" "$out"
echo "make-embedded-data: wrote $out ($(du -sh "$out" | cut -f1))"
