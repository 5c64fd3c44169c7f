#!/usr/bin/env python3
"""Writes the fuzzers' starting inputs into fuzz/corpus/TARGET (the fuzzers then grow the corpus).

Each input's first byte picks a target's mode (targets.h). Real files where the project has them:
JPEGs of the embedded CIFAR-10 subset, PNGs re-encoded from them by Python's zlib, the torch.save
fixtures of tests/data/torch. Run once; scripts/fuzz.sh keeps the grown corpus minimal.
"""
import os, struct, zlib, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def png(width, height, color_type, bit_depth, rows, palette=None):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", palette)
    out += chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in rows)))
    return out + chunk(b"IEND", b"")


# CIFAR records: label byte(s) then 3072 pixel bytes.
pixels = bytes((i * 7) % 256 for i in range(3072))
put("cifar_records", "cifar10_two", b"\x00" + b"\x03" + pixels + b"\x09" + pixels)
put("cifar_records", "cifar100_one", b"\x01" + b"\x05\x63" + pixels)
put("cifar_records", "cifar10_bad_label", b"\x00" + b"\x0a" + pixels)
put("cifar_records", "cifar10_truncated", b"\x00" + b"\x01" + pixels[:100])
put("cifar_records", "empty10", b"\x00")

# Images: real JPEGs, PNGs of each colour type, a wrong-sized one; modes any / 32x32 / resized.
jpegs = sorted((root / "data" / "cifar10-small" / "train").glob("*/0001.jpg"))[:3]
for i, path in enumerate(jpegs):
    put("image_decode", f"jpeg{i}_mode{i % 3}", bytes([i % 3]) + path.read_bytes())
rgb_rows = [bytes((x * 8 + y) % 256 for x in range(96)) for y in range(32)]
put("image_decode", "png_rgb_32", b"\x01" + png(32, 32, 2, 8, rgb_rows))
put("image_decode", "png_gray_32", b"\x00" + png(32, 32, 0, 8, [bytes(range(32))] * 32))
put("image_decode", "png_palette_32", b"\x01" + png(32, 32, 3, 8, [bytes(x % 4 for x in range(32))] * 32,
                                                    palette=bytes(range(12))))
put("image_decode", "png_16bit", b"\x00" + png(4, 4, 2, 16, [bytes(24)] * 4))
put("image_decode", "png_rgb_40x20_resized", b"\x02" + png(40, 20, 2, 8, [bytes(120)] * 20))
put("image_decode", "not_an_image", b"\x00GIF89a")

# torch.save files written by Python (tests/data/torch/make_fixtures.py).
for path in sorted((root / "tests" / "data" / "torch").glob("*.pt")):
    put("torch_file", path.stem, path.read_bytes())

# Configuration values: mode byte, then the text as given on the command line or in config.json.
texts = [(0, "multistep:150,250"), (0, "constant"), (0, "cosine:60"), (0, "multistep:5,3"), (1, "cpu"),
         (1, "cuda:1"), (1, "tpu"), (2, "fp32"), (2, "bf16"), (2, "auto"), (3, "1-5"), (3, "0,3,7"),
         (3, "0-2,9"), (3, "5-1"), (4, "1,2,4,8"), (4, "0,2"),
         (5, '{"study": {"preset": "paper", "seeds": [1, 2], "model": {"name": "vgg16", "width": 64}}}'),
         (5, '{"study": [1, {"a": null}]}'), (5, "[1, 2")]
for i, (mode, text) in enumerate(texts):
    put("config_text", f"text{i:02d}", bytes([mode]) + text.encode())
print("seeds written under", corpus)
