"""Trains the official DatasetGAN pixel_classifier with PyTorch for a few steps (test reference).

Reads a JSON job (initial weights in our [in, out] layout, batches, labels), runs the exact loop of
datasetGAN/train_interpreter.py (Adam lr 1e-3, CrossEntropyLoss, BatchNorm1d in train mode) for one
member, and prints the losses, final weights and running statistics as JSON.
"""
import json
import sys

import torch
import torch.nn as nn


def main():
    job = json.load(open(sys.argv[1]))
    d, c = job["dim"], job["classes"]
    h1, h2 = (128, 32) if c < 32 else (256, 128)
    model = nn.Sequential(
        nn.Linear(d, h1), nn.ReLU(), nn.BatchNorm1d(num_features=h1),
        nn.Linear(h1, h2), nn.ReLU(), nn.BatchNorm1d(num_features=h2),
        nn.Linear(h2, c),
    )
    p = job["params"]
    with torch.no_grad():
        for idx, (w, b, i, o) in zip((0, 3, 6), (("w1", "b1", d, h1), ("w2", "b2", h1, h2), ("w3", "b3", h2, c))):
            model[idx].weight.copy_(torch.tensor(p[w], dtype=torch.float32).reshape(i, o).t())
            model[idx].bias.copy_(torch.tensor(p[b], dtype=torch.float32))
        for idx, (g, be) in zip((2, 5), (("g1", "be1"), ("g2", "be2"))):
            model[idx].weight.copy_(torch.tensor(p[g], dtype=torch.float32))
            model[idx].bias.copy_(torch.tensor(p[be], dtype=torch.float32))
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=job["lr"])
    criterion = nn.CrossEntropyLoss()
    x = torch.tensor(job["x"], dtype=torch.float32).reshape(job["steps"], job["batch"], d)
    y = torch.tensor(job["y"], dtype=torch.long).reshape(job["steps"], job["batch"])
    losses = []
    for k in range(job["steps"]):
        optimizer.zero_grad()
        loss = criterion(model(x[k]), y[k])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out = {"losses": losses}
    for idx, (w, b) in zip((0, 3, 6), (("w1", "b1"), ("w2", "b2"), ("w3", "b3"))):
        out[w] = model[idx].weight.detach().t().reshape(-1).tolist()
        out[b] = model[idx].bias.detach().tolist()
    for idx, (g, be, rm, rv) in zip((2, 5), (("g1", "be1", "rm1", "rv1"), ("g2", "be2", "rm2", "rv2"))):
        out[g] = model[idx].weight.detach().tolist()
        out[be] = model[idx].bias.detach().tolist()
        out[rm] = model[idx].running_mean.tolist()
        out[rv] = model[idx].running_var.tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
