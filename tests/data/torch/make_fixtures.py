#!/usr/bin/env python3
"""Writes the torch.save fixtures of tests/core/torch_file_test.cpp with Debian's python3-torch
(run with /usr/bin/python3 from this folder). Values are set by hand so the test can check them."""
import torch

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3, bias=False), torch.nn.BatchNorm2d(2))
with torch.no_grad():
    net[0].weight.copy_(torch.arange(54, dtype=torch.float32).reshape(2, 3, 3, 3) / 10)
    net[1].weight.copy_(torch.tensor([1.5, -2.0]))
    net[1].bias.copy_(torch.tensor([0.25, 0.5]))
    net[1].running_mean.copy_(torch.tensor([0.1, 0.2]))
    net[1].running_var.copy_(torch.tensor([2.0, 3.0]))
    net[1].num_batches_tracked.fill_(7)

# What users save: model.state_dict() is an OrderedDict (with a _metadata attribute).
torch.save(net.state_dict(), "state_dict.pt")
# What training scripts save: the state_dict inside a dict with other entries.
torch.save({"net": net.state_dict(), "acc": 91.5, "epoch": 7}, "training_script_dict.pt")
# Views into one storage: offsets, strides, a transpose; other dtypes.
base = torch.arange(12, dtype=torch.float64).reshape(3, 4)
torch.save({"row": base[1], "col": base[:, 1], "t": base.t(), "half": torch.tensor([1.5, -2.0], dtype=torch.float16),
            "flags": torch.tensor([True, False]), "scalar": torch.tensor(3, dtype=torch.int32)}, "views.pt")
