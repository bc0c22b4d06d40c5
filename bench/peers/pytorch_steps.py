#!/usr/bin/env python3
"""Times the training steps of `nndl bench --ops training-step` with PyTorch: the same networks,
mini-batches, learning rates and weight decay, on the CPU, so that nndl's cpu backend can be
compared with a peer on the same machine in the same sitting.

Run by hand, never in CI:

    python3 bench/peers/pytorch_steps.py --threads 2 --out peers.csv

It needs PyTorch (Debian: apt-get install python3-torch). Each shape is timed in --forks fresh
processes, as JMH forks JVMs: a warm-up, then --samples samples of about --sample-seconds each.
A row gives the mean time per step over the forks' samples with its 99.9 % half-width (Student's
t over the samples), images per second, GFLOP/s with the FLOPs nndl counts (LadderStep's rule:
2 x multiply-adds per pass; forward and backward-weights for the first layer, forward,
backward-data and backward-weights for the others; pooling, activations, softmax and update not
counted), and each fork's mean, as nndl's benchmarks.csv does.

The networks, as nndl's shape tables give them (`./nndl shapes v3`):
  v0      FC 784-100 sigmoid, softmax 10
  v1      conv 20@5x5 sigmoid, max-pool 2, FC 100 sigmoid, softmax 10
  v2      v1 + conv 40@5x5 sigmoid, max-pool 2
  v3, v4  v2 with ReLU (v4 differs only in its data)
  v5      v4 + FC 100 ReLU
  v6      conv, conv (ReLU), dropout 0.5, FC 1000 ReLU, dropout 0.5, FC 1000 ReLU, dropout 0.5, softmax 10
  lenet5  C1 6@5x5 pad 2 tanh, S2 avg-pool 2, C3 16@5x5 tanh, S4, C5 120@5x5 tanh, F6 84 tanh, softmax 10
A step: forward on a fixed batch of random images, cross-entropy of the softmax (mean over the
batch), backward, SGD with the rung's learning rate and weight decay lambda / (50,000 / batch) on
the weights (not the biases), as nndl's LadderStep does.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time

SHAPES = ["v0-mb10", "v1-mb10", "v2-mb10", "v3-mb10", "v4-mb10", "v5-mb10", "v6-mb10", "v3-mb64", "lenet5-mb10"]
ETA = {"v0": 0.1, "v1": 0.1, "v2": 0.1, "v3": 0.03, "v4": 0.03, "v5": 0.03, "v6": 0.03, "lenet5": 0.05}
LAMBDA = {"v0": 0.0, "v1": 0.0, "v2": 0.0, "v3": 0.1, "v4": 0.1, "v5": 0.1, "v6": 0.0, "lenet5": 0.0}

# Student's t at 99.9 % two-sided (0.9995 quantile), by degrees of freedom; larger dof use the normal's 3.291
T999 = {1: 636.62, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781, 10: 4.587, 11: 4.437,
        12: 4.318, 13: 4.221, 14: 4.140, 15: 4.073, 16: 4.015, 17: 3.965, 18: 3.922, 19: 3.883, 20: 3.850, 25: 3.725, 30: 3.646,
        40: 3.551, 60: 3.460, 120: 3.373}


def t999(dof):
    for d in sorted(T999):
        if dof <= d:
            return T999[d]
    return 3.291


def layers(rung):
    """The network's layers as (kind, args) with kind conv, pool, fc or dropout; the last fc has no activation."""
    if rung == "lenet5":
        return [("conv", 1, 6, 5, 2, "tanh"), ("avgpool", 2), ("conv", 6, 16, 5, 0, "tanh"), ("avgpool", 2),
                ("conv", 16, 120, 5, 0, "tanh"), ("fc", 120, 84, "tanh"), ("fc", 84, 10, None)]
    r = int(rung[1])
    act = "sigmoid" if r <= 2 else "relu"
    out, side, ch = [], 28, 1
    if r >= 1:
        out += [("conv", 1, 20, 5, 0, act), ("maxpool", 2)]
        side, ch = (28 - 4) // 2, 20
    if r >= 2:
        out += [("conv", 20, 40, 5, 0, act), ("maxpool", 2)]
        side, ch = (side - 4) // 2, 40
    flat = ch * side * side
    if r == 6:
        out += [("dropout", 0.5), ("fc", flat, 1000, act), ("dropout", 0.5), ("fc", 1000, 1000, act), ("dropout", 0.5), ("fc", 1000, 10, None)]
    else:
        out += [("fc", flat, 100, act)]
        if r == 5:
            out += [("fc", 100, 100, act)]
        out += [("fc", 100, 10, None)]
    return out


def flops_per_image(rung):
    """LadderStep.flopsPerImage: 2 x multiply-adds x (2 passes for the first layer with weights, 3 for the others)."""
    side, total, first = 28, 0.0, True
    for layer in layers(rung):
        kind = layer[0]
        if kind == "conv":
            _, cin, cout, k, pad, _ = layer
            side = side + 2 * pad - k + 1
            macs = cout * side * side * cin * k * k
        elif kind in ("maxpool", "avgpool"):
            side //= layer[1]
            continue
        elif kind == "fc":
            macs = layer[1] * layer[2]
        else:
            continue
        total += 2.0 * macs * (2 if first else 3)
        first = False
    return total


def build(torch, rung):
    nn = torch.nn
    acts = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}
    modules = []
    flattened = False
    for layer in layers(rung):
        kind = layer[0]
        if kind == "conv":
            _, cin, cout, k, pad, act = layer
            modules += [nn.Conv2d(cin, cout, k, padding=pad), acts[act]()]
        elif kind == "maxpool":
            # the ladder's conv-pool layer is act(maxpool(conv(x)) + b), as network3's: the activation after the pooling
            # (the bias is per channel, so pooling first changes nothing); LeNet-5's S2 and S4 average tanh's outputs
            act = modules.pop()
            modules += [nn.MaxPool2d(layer[1]), act]
        elif kind == "avgpool":
            modules.append(nn.AvgPool2d(layer[1]))
        elif kind == "dropout":
            if not flattened:
                modules.append(nn.Flatten())
                flattened = True
            modules.append(nn.Dropout(layer[1]))
        elif kind == "fc":
            if not flattened:
                modules.append(nn.Flatten())
                flattened = True
            modules.append(nn.Linear(layer[1], layer[2]))
            if layer[3]:
                modules.append(acts[layer[3]]())
    return nn.Sequential(*modules)


def one_fork(shape, threads, warmup, samples, sample_seconds):
    """Runs in its own process: returns the seconds per step of each sample."""
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    rung, batch = shape.split("-mb")[0], int(shape.split("-mb")[1])
    net = build(torch, rung)
    net.train()
    decay = LAMBDA[rung] / (50_000 / batch)
    weights = [p for n, p in net.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in net.named_parameters() if n.endswith("bias")]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": decay}, {"params": biases, "weight_decay": 0.0}], lr=ETA[rung])
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        step()
    # steps per sample from the warm-up's pace
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < 0.1:
        step()
        n += 1
    per_sample = max(1, int(n * sample_seconds / (time.perf_counter() - start)))
    result = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(per_sample):
            step()
        result.append((time.perf_counter() - start) / per_sample)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Example: python3 bench/peers/pytorch_steps.py --threads 2 --out peers.csv")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated, from: " + ", ".join(SHAPES))
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="PyTorch's intra-op threads (default: every core)")
    parser.add_argument("--forks", type=int, default=3, help="fresh processes per shape (default 3)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per fork (default 3)")
    parser.add_argument("--samples", type=int, default=5, help="samples per fork (default 5)")
    parser.add_argument("--sample-seconds", type=float, default=1.0, help="seconds per sample (default 1)")
    parser.add_argument("--out", help="also write the rows to this CSV file")
    parser.add_argument("--fork", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fork:
        print(json.dumps(one_fork(args.fork, args.threads, args.warmup, args.samples, args.sample_seconds)))
        return
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    for s in shapes:
        if s not in SHAPES:
            parser.error("--shapes: unknown shape '%s'; use some of %s" % (s, ", ".join(SHAPES)))
    if args.threads < 1 or args.forks < 1 or args.samples < 2:
        parser.error("--threads and --forks must be at least 1, --samples at least 2")
    try:
        import torch
    except ImportError:
        sys.exit("pytorch_steps.py: PyTorch is not installed; on Debian: apt-get install python3-torch")
    header = ["peer", "version", "threads", "shape", "ms_per_step", "error_ms", "samples", "images_per_second", "gflops", "fork_means_ms"]
    rows = []
    print("%-12s %10s %10s %12s %8s" % ("shape", "ms/step", "+-", "img/s", "GFLOP/s"))
    for shape in shapes:
        times, fork_means = [], []
        for _ in range(args.forks):
            run = subprocess.run([sys.executable, __file__, "--fork", shape, "--threads", str(args.threads), "--warmup", str(args.warmup),
                                  "--samples", str(args.samples), "--sample-seconds", str(args.sample_seconds)],
                                 capture_output=True, text=True, check=True)
            fork = json.loads(run.stdout.strip().splitlines()[-1])
            times += fork
            fork_means.append(sum(fork) / len(fork))
        mean = sum(times) / len(times)
        sd = math.sqrt(sum((t - mean) ** 2 for t in times) / (len(times) - 1))
        error = t999(len(times) - 1) * sd / math.sqrt(len(times))
        batch = int(shape.split("-mb")[1])
        gflops = batch * flops_per_image(shape.split("-mb")[0]) / mean / 1e9
        row = ["pytorch", torch.__version__, args.threads, shape, "%.4f" % (mean * 1e3), "%.4f" % (error * 1e3), len(times),
               "%.0f" % (batch / mean), "%.2f" % gflops, ";".join("%.4f" % (m * 1e3) for m in fork_means)]
        rows.append(row)
        print("%-12s %10.3f %10.3f %12.0f %8.2f" % (shape, mean * 1e3, error * 1e3, batch / mean, gflops), flush=True)
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        print("wrote %s" % args.out)


if __name__ == "__main__":
    main()
