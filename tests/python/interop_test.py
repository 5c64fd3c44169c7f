#!/usr/bin/env python3
"""Weights between bgm and PyTorch, for real, with Debian's python3-torch (/usr/bin/python3):

1. a state_dict saved by Python's torch.save(model.state_dict()) (an OrderedDict) is read by
   `bgm eval`, whose logits match Python's on the same images (max abs difference <= 1e-5);
2. every weights file of a bgm study loads into the reference module with strict=True (no
   missing or unexpected key) and gives the logits `bgm eval` gives;
3. `bgm reproduce --init-from` starts W0R from Python's file exactly.

Usage: interop_test.py BGM_EXECUTABLE. Exits 77 (CTest's skip) where torch cannot be imported."""
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed for", sys.executable)
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_resnet import normalize, resnet18  # noqa: E402

BGM = sys.argv[1]
WIDTH = 8
TOLERANCE = 1e-5


def write_cifar10(root, train_per_batch, test_images):
    """A CIFAR-10 binary directory of random images; returns the test images (N, 3, 32, 32) and labels."""
    g = torch.Generator().manual_seed(1)
    os.makedirs(root)

    def batch(n, name):
        labels = torch.arange(n) % 10
        images = torch.randint(0, 256, (n, 3, 32, 32), generator=g, dtype=torch.uint8)
        records = torch.cat([labels.to(torch.uint8).view(n, 1), images.view(n, -1)], 1)
        with open(os.path.join(root, name), "wb") as f:
            f.write(records.numpy().tobytes())
        return images, labels

    for i in range(1, 6):
        batch(train_per_batch, f"data_batch_{i}.bin")
    return batch(test_images, "test_batch.bin")


def bgm(*args):
    cmd = [BGM, *args, "--threads", "1"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def python_logits(state_dict_or_file, images):
    model = resnet18(10, WIDTH)
    sd = torch.load(state_dict_or_file) if isinstance(state_dict_or_file, str) else state_dict_or_file
    result = model.load_state_dict(sd, strict=True)
    assert not result.missing_keys and not result.unexpected_keys, result
    model.eval()
    with torch.no_grad():
        return model(normalize(images))


def bgm_logits(weights, data, work, name):
    logits_file = os.path.join(work, name + ".logits.pt")
    json_file = os.path.join(work, name + ".json")
    bgm("eval", "--model", "resnet18", "--width", str(WIDTH), "--weights", weights, "--data", data,
        "--json", json_file, "--logits", logits_file)
    out = torch.load(logits_file)
    return out["logits"], out["labels"], json.load(open(json_file))


def check_close(name, ours, theirs):
    diff = (ours - theirs).abs().max().item()
    print(f"{name}: max |bgm - python| logit difference {diff:.3g} over {tuple(ours.shape)}")
    if not diff <= TOLERANCE:
        sys.exit(f"FAIL: {name}: logits differ by {diff} > {TOLERANCE}")


def main():
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as work:
        data = os.path.join(work, "cifar")
        images, labels = write_cifar10(data, train_per_batch=40, test_images=64)

        # 1. Python -> bgm: a model with trained BN statistics, saved as users save it.
        torch.manual_seed(0)
        model = resnet18(10, WIDTH)
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        for _ in range(3):
            x = normalize(torch.randint(0, 256, (32, 3, 32, 32), dtype=torch.uint8))
            loss = torch.nn.functional.cross_entropy(model(x), torch.randint(0, 10, (32,)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        py_file = os.path.join(work, "python_state_dict.pt")
        torch.save(model.state_dict(), py_file)
        expected = python_logits(py_file, images)
        ours, our_labels, summary = bgm_logits(py_file, data, work, "python")
        assert torch.equal(our_labels, labels), "bgm read other labels"
        check_close("Python state_dict in bgm eval", ours, expected)
        py_loss = torch.nn.functional.cross_entropy(expected, labels).item()
        py_acc = 100.0 * (expected.argmax(1) == labels).float().mean().item()
        assert abs(summary["test"]["loss"] - py_loss) < 1e-5, (summary["test"], py_loss)
        assert abs(summary["test"]["accuracy"] - py_acc) < 1e-9, (summary["test"], py_acc)

        # 2. bgm -> Python: every model of a one-epoch study, with --init-from the file above (3.).
        study = os.path.join(work, "study")
        bgm("reproduce", "--data", data, "--train-subset", "200", "--test-subset", "64", "--width", str(WIDTH),
            "--replicas", "1", "--batch-size", "32",
            "--adv-epochs", "1", "--vanilla-epochs", "1", "--sota-epochs", "1", "--sota-schedule", "cosine:1",
            "--measures", "false", "--precision", "fp32", "--init-from", py_file, "--out", study,
            "--store", os.path.join(work, "store"))
        w0r = torch.load(os.path.join(study, "weights", "W0R.pt"))
        for key, value in model.state_dict().items():
            assert torch.equal(w0r[key], value), f"--init-from changed {key}"
        for role in ["W0R", "W0A", "WVR", "WSR", "WVA", "WSA"]:
            weights = os.path.join(study, "weights", role + ".pt")
            ours, _, _ = bgm_logits(weights, data, work, role)
            check_close(f"bgm {role}.pt in Python (strict load)", ours, python_logits(weights, images))
    print("PASS")


if __name__ == "__main__":
    main()
