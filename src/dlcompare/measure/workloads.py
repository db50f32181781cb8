"""The workloads every toolkit runs, their data, and the NumPy reference that checks them.

Both are a full float32 training step on a fixed pool of synthetic batches: forward, mean
softmax cross-entropy, backward, plain SGD update (no momentum, no weight decay).

- `mlp`: input 784; dense 784->256, ReLU; dense 256->256, ReLU; dense 256->10.
- `cnn`: input 1x28x28 (channels, height, width); conv 3x3 1->16 (valid, stride 1, bias),
  ReLU, max-pool 2x2 (stride 2); conv 3x3 16->32, ReLU, max-pool 2x2 (stride 2, floor: 11->5);
  flatten in (channel, height, width) order to 800; dense 800->10.

Parameters and batches are made once with NumPy from a seed, written to a `.npz` file and
loaded by every toolkit, so all of them start from the same numbers. Weights are drawn from
N(0, 2/fan_in) (He), biases are zero. Inputs are N(0, 1); labels come from a fixed random linear
"teacher" of the input (argmax of x·T), so there is something to learn and the loss falls.
Canonical layouts: dense weights (in, out), used as x·W + b; conv kernels (out, in, kh, kw).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SEED = 2016
LEARNING_RATE = 0.01
POOL = 4
"""Distinct batches, used in turn (step i uses batch i mod POOL)."""
CLASSES = 10

Arrays = dict[str, Any]


@dataclass(frozen=True)
class Workload:
    id: str
    name: str
    input_shape: tuple[int, ...]
    layers: tuple[str, ...]
    parameters: tuple[tuple[str, tuple[int, ...]], ...]
    """Each parameter's name and shape, in the canonical layout."""


MLP = Workload(
    id="mlp",
    name="MLP",
    input_shape=(784,),
    layers=("dense 784->256", "ReLU", "dense 256->256", "ReLU", "dense 256->10"),
    parameters=(
        ("w1", (784, 256)),
        ("b1", (256,)),
        ("w2", (256, 256)),
        ("b2", (256,)),
        ("w3", (256, 10)),
        ("b3", (10,)),
    ),
)
CNN = Workload(
    id="cnn",
    name="CNN",
    input_shape=(1, 28, 28),
    layers=(
        "conv 3x3 1->16 valid",
        "ReLU",
        "max-pool 2x2",
        "conv 3x3 16->32 valid",
        "ReLU",
        "max-pool 2x2",
        "flatten (C,H,W) 800",
        "dense 800->10",
    ),
    parameters=(
        ("k1", (16, 1, 3, 3)),
        ("c1", (16,)),
        ("k2", (32, 16, 3, 3)),
        ("c2", (32,)),
        ("w3", (800, 10)),
        ("b3", (10,)),
    ),
)
WORKLOADS = {w.id: w for w in (MLP, CNN)}


def parameter_count(workload: Workload) -> int:
    return sum(int(np.prod(shape)) for _, shape in workload.parameters)


def make_data(workload: Workload, batch_size: int, seed: int = SEED) -> Arrays:
    """Initial parameters (`p.NAME`) and the pool of batches (`x`: POOL×batch×input, float32;
    `y`: POOL×batch, int32), all from `seed`."""
    rng = np.random.default_rng(seed)
    data: Arrays = {}
    for name, shape in workload.parameters:
        if len(shape) == 1:
            data[f"p.{name}"] = np.zeros(shape, np.float32)
        else:
            fan_in = int(np.prod(shape[1:])) if len(shape) == 4 else shape[0]
            data[f"p.{name}"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape).astype(np.float32)
    x = rng.normal(0.0, 1.0, (POOL, batch_size, *workload.input_shape)).astype(np.float32)
    features = int(np.prod(workload.input_shape))
    teacher = rng.normal(0.0, 1.0, (features, CLASSES)).astype(np.float32)
    data["x"] = x
    data["y"] = np.argmax(x.reshape(POOL, batch_size, features) @ teacher, axis=-1).astype(np.int32)
    return data


def save(data: Arrays, path: Path) -> None:
    with path.open("wb") as file:
        np.savez(file, **data)


def load(path: Path) -> Arrays:
    with np.load(path) as stored:
        return {key: stored[key] for key in stored.files}


def parameters(data: Arrays) -> Arrays:
    """The initial parameters, by canonical name (a fresh copy each call)."""
    return {key[2:]: value.copy() for key, value in data.items() if key.startswith("p.")}


# --- the NumPy reference -------------------------------------------------------------------


def _cross_entropy(logits: Any, labels: Any) -> tuple[float, Any]:
    """Mean softmax cross-entropy and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, labels]))
    grad = exp / total
    grad[rows, labels] -= 1.0
    return loss, grad / len(labels)


def _patches(x: Any) -> Any:
    """3x3 valid patches of x (B, C, H, W) as rows: (B*Ho*Wo, C*9)."""
    b, c, h, w = x.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(2, 3))
    return windows.transpose(0, 2, 3, 1, 4, 5).reshape(b * (h - 2) * (w - 2), c * 9)


def _conv(x: Any, kernel: Any, bias: Any) -> tuple[Any, Any]:
    b, _, h, w = x.shape
    cols = _patches(x)
    out = cols @ kernel.reshape(kernel.shape[0], -1).T + bias
    return out.reshape(b, h - 2, w - 2, -1).transpose(0, 3, 1, 2), cols


def _conv_backward(grad: Any, cols: Any, kernel: Any, x_shape: Any) -> tuple[Any, Any, Any]:
    """Gradients of the kernel, the bias and the input of `_conv`."""
    out_channels = kernel.shape[0]
    rows = grad.transpose(0, 2, 3, 1).reshape(-1, out_channels)
    d_kernel = (rows.T @ cols).reshape(kernel.shape)
    d_bias = rows.sum(axis=0)
    b, c, h, w = x_shape
    d_cols = (rows @ kernel.reshape(out_channels, -1)).reshape(b, h - 2, w - 2, c, 3, 3)
    d_x = np.zeros(x_shape, grad.dtype)
    for i in range(3):
        for j in range(3):
            d_x[:, :, i : i + h - 2, j : j + w - 2] += d_cols[..., i, j].transpose(0, 3, 1, 2)
    return d_kernel, d_bias, d_x


def _pool(x: Any) -> tuple[Any, Any]:
    b, c, h, w = x.shape
    cropped = x[:, :, : h // 2 * 2, : w // 2 * 2].reshape(b, c, h // 2, 2, w // 2, 2)
    out = cropped.max(axis=(3, 5))
    return out, cropped == out[:, :, :, None, :, None]


def _pool_backward(grad: Any, mask: Any, x_shape: Any) -> Any:
    b, c, h, w = x_shape
    d_x = np.zeros(x_shape, grad.dtype)
    spread = mask * grad[:, :, :, None, :, None]
    d_x[:, :, : h // 2 * 2, : w // 2 * 2] = spread.reshape(b, c, h // 2 * 2, w // 2 * 2)
    return d_x


def mlp_step(p: Arrays, x: Any, y: Any, lr: float) -> float:
    """One training step of `mlp` in place on `p`; returns the loss before the update."""
    h1 = x @ p["w1"] + p["b1"]
    a1 = np.maximum(h1, 0)
    h2 = a1 @ p["w2"] + p["b2"]
    a2 = np.maximum(h2, 0)
    loss, dz = _cross_entropy(a2 @ p["w3"] + p["b3"], y)
    grads = {"w3": a2.T @ dz, "b3": dz.sum(axis=0)}
    dh2 = (dz @ p["w3"].T) * (h2 > 0)
    grads |= {"w2": a1.T @ dh2, "b2": dh2.sum(axis=0)}
    dh1 = (dh2 @ p["w2"].T) * (h1 > 0)
    grads |= {"w1": x.T @ dh1, "b1": dh1.sum(axis=0)}
    for name, grad in grads.items():
        p[name] -= grad.dtype.type(lr) * grad
    return loss


def cnn_step(p: Arrays, x: Any, y: Any, lr: float) -> float:
    """One training step of `cnn` in place on `p`; returns the loss before the update."""
    h1, cols1 = _conv(x, p["k1"], p["c1"])
    a1 = np.maximum(h1, 0)
    q1, mask1 = _pool(a1)
    h2, cols2 = _conv(q1, p["k2"], p["c2"])
    a2 = np.maximum(h2, 0)
    q2, mask2 = _pool(a2)
    flat = q2.reshape(len(x), -1)
    loss, dz = _cross_entropy(flat @ p["w3"] + p["b3"], y)
    grads = {"w3": flat.T @ dz, "b3": dz.sum(axis=0)}
    d_q2 = (dz @ p["w3"].T).reshape(q2.shape)
    d_h2 = _pool_backward(d_q2, mask2, a2.shape) * (h2 > 0)
    d_k2, d_c2, d_q1 = _conv_backward(d_h2, cols2, p["k2"], q1.shape)
    d_h1 = _pool_backward(d_q1, mask1, a1.shape) * (h1 > 0)
    d_k1, d_c1, _ = _conv_backward(d_h1, cols1, p["k1"], x.shape)
    grads |= {"k2": d_k2, "c2": d_c2, "k1": d_k1, "c1": d_c1}
    for name, grad in grads.items():
        p[name] -= grad.dtype.type(lr) * grad
    return loss


REFERENCE_STEPS = {"mlp": mlp_step, "cnn": cnn_step}
