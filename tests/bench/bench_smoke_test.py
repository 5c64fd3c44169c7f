"""Keeps the benchmark harness working: runs every bgm_bench task, and the Python pipeline's
where torchvision is installed, on a few hundred embedded images, and checks what they print.
Usage: bench_smoke_test.py BGM_BENCH DATA_DIR (timings are the harness's business, not this test's)."""
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("numpy (python3-numpy, installed with python3-torch) is missing: skipped")
    sys.exit(77)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PIPELINE = os.path.join(ROOT, "bench", "python_pipeline.py")


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    bench, data = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "small")
        r = run([bench, "export", "--data", data, "--train-images", "512", "--test-images", "130", "--out", prefix])
        assert r["train_images"] == 512 and r["test_images"] == 130, r
        images, labels = np.load(prefix + ".train_images.npy"), np.load(prefix + ".train_labels.npy")
        assert images.shape == (512, 32, 32, 3) and images.dtype == np.uint8, images.shape
        assert labels.dtype == np.int64, labels.dtype
        assert sorted(np.bincount(labels, minlength=10).tolist()) == [51] * 8 + [52] * 2, np.bincount(labels)

        r = run([bench, "--threads", "1", "train", "--data", prefix, "--width", "8", "--steps", "1"])
        assert r["steps"] == 1 and r["images"] == 128 and r["threads"] == 1, r
        assert math.isfinite(r["mean_loss"]) and r["mean_loss"] > 0 and r["images_per_second"] > 0, r
        r = run([bench, "eval", "--data", prefix, "--width", "8", "--layout", "nchw"])
        assert r["images"] == 130 and 0 <= r["accuracy"] <= 100, r
        r = run([bench, "alg1", "--data", prefix, "--replicas", "3"])
        assert r["images"] == 1536 and r["zeroed_entries_seen"] >= 1536 * 307 and not r["stored"], r
        stored = run([bench, "alg1", "--data", prefix, "--replicas", "3", "--stored"])
        assert stored["zeroed_entries_seen"] == r["zeroed_entries_seen"], (stored, r)  # the same copies
        r = run([bench, "flops", "--width", "64"])
        assert r["forward_flops"] == 1110845440 and r["convolutions"] == 20, r
        r = run([bench, "sgemm", "--n", "64"])
        assert r["gflops"] > 0 and r["dtype"] == "fp32", r

        try:
            import torchvision  # noqa: F401
        except ImportError:
            print("python3-torchvision is not installed: the Python pipeline's side is not run "
                  "(bench/run installs it)")
            return
        r = run([sys.executable, PIPELINE, "train", "--data", prefix, "--width", "8", "--steps", "1"])
        assert r["steps"] == 1 and r["images"] == 128, r
        r = run([sys.executable, PIPELINE, "eval", "--data", prefix, "--width", "8"])
        assert r["images"] == 130, r
        r = run([sys.executable, PIPELINE, "alg1", "--data", prefix, "--replicas", "2"])
        assert r["images"] == 1024 and r["labels"] == 1024, r
    print("bench smoke test: every task ran")


if __name__ == "__main__":
    main()
