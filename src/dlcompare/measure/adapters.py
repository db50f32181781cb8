"""One adapter per toolkit: the workloads of `workloads` written in that toolkit's own idiom,
started from the parameters and batches in the data file. Runs only inside a worker process.

How each one trains (the usual way to write a training step in it, no tuning):
- numpy: the reference in `workloads`.
- pytorch: eager mode, `torch.nn.functional`, `torch.optim.SGD`.
- jax: `jax.jit` of `jax.value_and_grad` and the SGD update, parameters as a dict.
- tensorflow: `tf.function` (a graph, no XLA) with `tf.GradientTape`, `Variable.assign_sub`.
- keras: a `keras.Sequential` model, `compile(SGD, SparseCategoricalCrossentropy)` with
  Keras's defaults for the backend, one `train_on_batch` per step.
- mlx: `mx.value_and_grad` over a dict of arrays, the update as a tree map, `mx.eval`.
- paddlepaddle: dynamic graph, `paddle.nn.functional`, `paddle.optimizer.SGD`.
- mindspore: PyNative mode, `mindspore.ops`, `mindspore.value_and_grad`, `mindspore.nn.SGD`.
- tinygrad: `nn.optim.SGD`, the step under `Tensor.train()` captured by `TinyJit`.

Float32 means float32: TF32 and reduced-precision matrix products are turned off on a GPU.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .workloads import POOL, Arrays, parameters

CONV = ("k1", "k2")


class Unavailable(Exception):
    """The toolkit is installed but cannot run as asked (no GPU visible to it)."""


@dataclass(frozen=True)
class Job:
    """What a worker asks of an adapter."""

    workload: str
    data: Arrays
    lr: float
    device: str
    threads: int | None


@dataclass
class Prepared:
    step: Callable[[int], float]
    """Runs training step i (batch i mod POOL) and returns its loss as a Python float, which
    waits for the device to finish."""
    device: str
    gpu: str | None = None
    threads: dict[str, Any] = field(default_factory=dict)


def _env_threads() -> dict[str, Any]:
    names = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS")
    shown: dict[str, Any] = {name: os.environ[name] for name in names if name in os.environ}
    if hasattr(os, "sched_getaffinity"):
        shown["cpus allowed"] = len(os.sched_getaffinity(0))
    return shown


# --- numpy ---------------------------------------------------------------------------------


def _numpy(np: Any, job: Job) -> Prepared:
    workload, data, lr = job.workload, job.data, job.lr
    from .workloads import REFERENCE_STEPS

    # the reference runs on the CPU whatever --device says: the GPU runs are checked against it
    train = REFERENCE_STEPS[workload]
    p = parameters(data)
    batches = [(data["x"][j], data["y"][j]) for j in range(POOL)]

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        return train(p, x, y, lr)

    return Prepared(step, "cpu", threads=_env_threads())


# --- pytorch -------------------------------------------------------------------------------


def _torch(torch: Any, job: Job) -> Prepared:
    workload, data, lr, device, threads = job.workload, job.data, job.lr, job.device, job.threads
    if threads:
        torch.set_num_threads(threads)
        # only allowed before any parallel work; harmless to skip
        with contextlib.suppress(RuntimeError):
            torch.set_num_interop_threads(threads)
    gpu = None
    if device == "gpu":
        if not torch.cuda.is_available():
            raise Unavailable("PyTorch sees no GPU (torch.cuda.is_available() is false)")
        target = torch.device("cuda")
        gpu = torch.cuda.get_device_name(0)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    else:
        target = torch.device("cpu")
    F = torch.nn.functional
    p = {
        name: torch.tensor(value, device=target, requires_grad=True)
        for name, value in parameters(data).items()
    }
    batches = [
        (
            torch.tensor(data["x"][j], device=target),
            torch.tensor(data["y"][j], dtype=torch.int64, device=target),
        )
        for j in range(POOL)
    ]

    def forward(x: Any) -> Any:
        if workload == "mlp":
            h = F.relu(x @ p["w1"] + p["b1"])
            h = F.relu(h @ p["w2"] + p["b2"])
            return h @ p["w3"] + p["b3"]
        h = F.max_pool2d(F.relu(F.conv2d(x, p["k1"], p["c1"])), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, p["k2"], p["c2"])), 2)
        return h.flatten(1) @ p["w3"] + p["b3"]

    optimizer = torch.optim.SGD(list(p.values()), lr=lr)

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(x), y)
        loss.backward()
        optimizer.step()
        return float(loss.item())

    shown = _env_threads() | {
        "torch.get_num_threads()": torch.get_num_threads(),
        "torch.get_num_interop_threads()": torch.get_num_interop_threads(),
    }
    return Prepared(step, "cuda:0" if gpu else "cpu", gpu, shown)


# --- jax -----------------------------------------------------------------------------------


def _jax(jax: Any, job: Job) -> Prepared:
    workload, data, lr, device = job.workload, job.data, job.lr, job.device
    import jax.numpy as jnp
    from jax import lax

    gpu = None
    if device == "gpu":
        try:
            target = jax.devices("gpu")[0]
        except RuntimeError:
            raise Unavailable("JAX sees no GPU (jax.devices('gpu') found none)") from None
        gpu = str(getattr(target, "device_kind", target))
        jax.config.update("jax_default_matmul_precision", "highest")
    else:
        target = jax.devices("cpu")[0]
    params = jax.device_put(parameters(data), target)
    batches = [
        (jax.device_put(data["x"][j], target), jax.device_put(data["y"][j], target))
        for j in range(POOL)
    ]

    def pool(h: Any) -> Any:
        return lax.reduce_window(h, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

    def conv(h: Any, kernel: Any, bias: Any) -> Any:
        out = lax.conv_general_dilated(
            h, kernel, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW")
        )
        return out + bias[None, :, None, None]

    def forward(p: Any, x: Any) -> Any:
        if workload == "mlp":
            h = jax.nn.relu(x @ p["w1"] + p["b1"])
            h = jax.nn.relu(h @ p["w2"] + p["b2"])
            return h @ p["w3"] + p["b3"]
        h = pool(jax.nn.relu(conv(x, p["k1"], p["c1"])))
        h = pool(jax.nn.relu(conv(h, p["k2"], p["c2"])))
        return h.reshape(h.shape[0], -1) @ p["w3"] + p["b3"]

    def loss_of(p: Any, x: Any, y: Any) -> Any:
        log_p = jax.nn.log_softmax(forward(p, x))
        return -jnp.mean(jnp.take_along_axis(log_p, y[:, None], axis=1))

    @jax.jit
    def train(p: Any, x: Any, y: Any) -> Any:
        loss, grads = jax.value_and_grad(loss_of)(p, x, y)
        return jax.tree_util.tree_map(lambda a, g: a - lr * g, p, grads), loss

    state = [params]

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        state[0], loss = train(state[0], x, y)
        return float(loss)

    shown = _env_threads() | {
        "jax": "no thread setting of its own; XLA sizes its pool to the CPUs allowed"
    }
    return Prepared(step, str(target.platform) + (":0" if gpu else ""), gpu, shown)


# --- tensorflow ----------------------------------------------------------------------------


def _tf_threads(tf: Any, threads: int | None) -> dict[str, Any]:
    if threads:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    return {
        "tf intra-op threads (0: TF's default)": tf.config.threading.get_intra_op_parallelism_threads(),
        "tf inter-op threads (0: TF's default)": tf.config.threading.get_inter_op_parallelism_threads(),
    }


def _tf_gpu(tf: Any) -> str:
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        raise Unavailable(
            "TensorFlow sees no GPU (tf.config.list_physical_devices('GPU') is empty)"
        )
    tf.config.experimental.enable_tensor_float_32_execution(False)
    return str(tf.config.experimental.get_device_details(gpus[0]).get("device_name", gpus[0].name))


def _channels_last(data: Arrays, workload: str) -> list[tuple[Any, Any]]:
    """The batches, with images as (batch, height, width, channels)."""
    return [
        (data["x"][j].transpose(0, 2, 3, 1) if workload == "cnn" else data["x"][j], data["y"][j])
        for j in range(POOL)
    ]


def _hwio(name: str, value: Any) -> Any:
    """A canonical (out, in, kh, kw) kernel as (kh, kw, in, out); other parameters as they are."""
    return value.transpose(2, 3, 1, 0) if name in CONV else value


def _tensorflow(tf: Any, job: Job) -> Prepared:
    workload, data, lr, device, threads = job.workload, job.data, job.lr, job.device, job.threads
    shown = _env_threads() | _tf_threads(tf, threads)
    gpu = _tf_gpu(tf) if device == "gpu" else None
    placement = "/GPU:0" if gpu else "/CPU:0"
    with tf.device(placement):
        p = {name: tf.Variable(_hwio(name, value)) for name, value in parameters(data).items()}
        batches = [(tf.constant(x), tf.constant(y)) for x, y in _channels_last(data, workload)]
    variables = list(p.values())

    def forward(x: Any) -> Any:
        if workload == "mlp":
            h = tf.nn.relu(tf.matmul(x, p["w1"]) + p["b1"])
            h = tf.nn.relu(tf.matmul(h, p["w2"]) + p["b2"])
            return tf.matmul(h, p["w3"]) + p["b3"]
        h = tf.nn.relu(tf.nn.conv2d(x, p["k1"], 1, "VALID") + p["c1"])
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.nn.relu(tf.nn.conv2d(h, p["k2"], 1, "VALID") + p["c2"])
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [tf.shape(h)[0], -1])  # (C, H, W) order
        return tf.matmul(flat, p["w3"]) + p["b3"]

    @tf.function
    def train(x: Any, y: Any) -> Any:
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=forward(x))
            )
        for variable, grad in zip(variables, tape.gradient(loss, variables), strict=True):
            variable.assign_sub(lr * grad)
        return loss

    def step(i: int) -> float:
        with tf.device(placement):
            return float(train(*batches[i % POOL]))

    return Prepared(step, "gpu:0" if gpu else "cpu", gpu, shown)


# --- keras ---------------------------------------------------------------------------------


def _keras(keras: Any, job: Job) -> Prepared:
    workload, data, lr, device, threads = job.workload, job.data, job.lr, job.device, job.threads
    backend = keras.backend.backend()
    shown = _env_threads()
    gpu = None
    if backend == "tensorflow":
        import tensorflow as tf

        shown |= _tf_threads(tf, threads)
        gpu = _tf_gpu(tf) if device == "gpu" else None
    elif backend == "torch":
        import torch

        if threads:
            torch.set_num_threads(threads)
        shown["torch.get_num_threads()"] = torch.get_num_threads()
        if device == "gpu":
            if not torch.cuda.is_available():
                raise Unavailable("Keras's torch backend sees no GPU")
            gpu = torch.cuda.get_device_name(0)
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
    elif backend == "jax":
        import jax

        if device == "gpu":
            try:
                gpu = str(jax.devices("gpu")[0].device_kind)
            except RuntimeError:
                raise Unavailable("Keras's jax backend sees no GPU") from None
            jax.config.update("jax_default_matmul_precision", "highest")
    elif device == "gpu":
        raise Unavailable(f"Keras backend {backend}: GPU not supported by dlcompare")
    layers = keras.layers
    if workload == "mlp":
        stack = [
            keras.Input((784,)),
            layers.Dense(256, activation="relu", name="l1"),
            layers.Dense(256, activation="relu", name="l2"),
            layers.Dense(10, name="l3"),
        ]
        weights = {"l1": ("w1", "b1"), "l2": ("w2", "b2"), "l3": ("w3", "b3")}
    else:
        stack = [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, activation="relu", name="l1"),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, activation="relu", name="l2"),
            layers.MaxPooling2D(2),
            layers.Permute((3, 1, 2)),  # flatten in (C, H, W) order, as the reference does
            layers.Flatten(),
            layers.Dense(10, name="l3"),
        ]
        weights = {"l1": ("k1", "c1"), "l2": ("k2", "c2"), "l3": ("w3", "b3")}
    model = keras.Sequential(stack)
    start = parameters(data)
    for layer, names in weights.items():
        model.get_layer(layer).set_weights([_hwio(name, start[name]) for name in names])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    batches = _channels_last(data, workload)

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        # the loss of this batch alone, not a running mean over earlier calls
        model.reset_metrics()
        return float(model.train_on_batch(x, y, return_dict=True)["loss"])

    return Prepared(step, "gpu:0" if gpu else "cpu", gpu, shown)


# --- mlx -----------------------------------------------------------------------------------


def _mlx(mx: Any, job: Job) -> Prepared:
    """MLX's functional idiom: `mx.value_and_grad` of the loss over a dict of arrays, the SGD
    update as a tree map, `mx.eval` to run the lazy graph. Images channels-last (MLX's
    layout), kernels (out, kh, kw, in)."""
    workload, data, lr, device = job.workload, job.data, job.lr, job.device
    from mlx import nn
    from mlx.utils import tree_map

    if device == "gpu":
        if not mx.metal.is_available() and not _mlx_cuda(mx):
            raise Unavailable("MLX sees no GPU (neither Metal nor CUDA)")
        mx.set_default_device(mx.gpu)
    else:
        mx.set_default_device(mx.cpu)
    start = parameters(data)
    params = {
        name: mx.array(value.transpose(0, 2, 3, 1) if name in CONV else value)
        for name, value in start.items()
    }
    batches = [(mx.array(x), mx.array(y)) for x, y in _channels_last(data, workload)]
    pool = nn.MaxPool2d(2, 2)

    def forward(p: Any, x: Any) -> Any:
        if workload == "mlp":
            h = nn.relu(x @ p["w1"] + p["b1"])
            h = nn.relu(h @ p["w2"] + p["b2"])
            return h @ p["w3"] + p["b3"]
        h = pool(nn.relu(mx.conv2d(x, p["k1"]) + p["c1"]))
        h = pool(nn.relu(mx.conv2d(h, p["k2"]) + p["c2"]))
        flat = h.transpose(0, 3, 1, 2).reshape(h.shape[0], -1)  # (C, H, W) order
        return flat @ p["w3"] + p["b3"]

    def loss_of(p: Any, x: Any, y: Any) -> Any:
        return nn.losses.cross_entropy(forward(p, x), y, reduction="mean")

    value_and_grad = mx.value_and_grad(loss_of)
    state = [params]

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        loss, grads = value_and_grad(state[0], x, y)
        state[0] = tree_map(lambda a, g: a - lr * g, state[0], grads)
        mx.eval(state[0], loss)
        return float(loss.item())

    shown = _env_threads() | {"mlx": "no thread setting of its own"}
    return Prepared(step, "gpu" if device == "gpu" else "cpu", None, shown)


def _mlx_cuda(mx: Any) -> bool:
    cuda = getattr(mx, "cuda", None)
    return bool(cuda is not None and cuda.is_available())


# --- paddlepaddle --------------------------------------------------------------------------


def _paddle(paddle: Any, job: Job) -> Prepared:
    """PaddlePaddle in dynamic-graph mode (its default): `paddle.nn.functional`, tensors as
    parameters, `paddle.optimizer.SGD`."""
    workload, data, lr, device, threads = job.workload, job.data, job.lr, job.device, job.threads
    gpu = None
    if device == "gpu":
        if not paddle.device.is_compiled_with_cuda() or paddle.device.cuda.device_count() == 0:
            raise Unavailable("PaddlePaddle sees no GPU (not built with CUDA, or no device)")
        paddle.set_device("gpu:0")
        gpu = str(paddle.device.cuda.get_device_name(0))
    else:
        paddle.set_device("cpu")
    F = paddle.nn.functional
    p = {}
    for name, value in parameters(data).items():
        tensor = paddle.create_parameter(
            list(value.shape),
            "float32",
            default_initializer=paddle.nn.initializer.Assign(value),
        )
        p[name] = tensor
    batches = [
        (paddle.to_tensor(data["x"][j]), paddle.to_tensor(data["y"][j].astype("int64")))
        for j in range(POOL)
    ]

    def forward(x: Any) -> Any:
        if workload == "mlp":
            h = F.relu(paddle.matmul(x, p["w1"]) + p["b1"])
            h = F.relu(paddle.matmul(h, p["w2"]) + p["b2"])
            return paddle.matmul(h, p["w3"]) + p["b3"]
        h = F.max_pool2d(F.relu(F.conv2d(x, p["k1"], p["c1"])), 2, 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, p["k2"], p["c2"])), 2, 2)
        return paddle.matmul(paddle.flatten(h, 1), p["w3"]) + p["b3"]

    optimizer = paddle.optimizer.SGD(learning_rate=lr, parameters=list(p.values()))

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        loss = F.cross_entropy(forward(x), y)
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        return float(loss.item())

    shown = _env_threads()
    if threads:
        shown["paddle"] = "follows OMP_NUM_THREADS and the CPUs allowed"
    return Prepared(step, "gpu:0" if gpu else "cpu", gpu, shown)


# --- mindspore -----------------------------------------------------------------------------


def _mindspore(ms: Any, job: Job) -> Prepared:
    """MindSpore in PyNative mode (eager, its default): `mindspore.ops` functions, Parameters,
    `mindspore.value_and_grad` over them and `mindspore.nn.SGD`."""
    workload, data, lr, device, threads = job.workload, job.data, job.lr, job.device, job.threads
    if device == "gpu":
        raise Unavailable("MindSpore's package-index build runs on the CPU (and Ascend) only")
    ms.set_context(mode=ms.PYNATIVE_MODE)
    ms.set_device("CPU")
    shown = _env_threads()
    if threads:
        with contextlib.suppress(Exception):  # a setting that moved between versions
            ms.runtime.set_cpu_affinity(False)
        shown["mindspore"] = "follows OMP_NUM_THREADS and the CPUs allowed"
    ops = ms.ops
    pool = ms.nn.MaxPool2d(2, 2)  # the layer: ops.max_pool2d has no CPU kernel under autograd
    p = {
        name: ms.Parameter(ms.Tensor(value), name=name) for name, value in parameters(data).items()
    }
    batches = [
        (ms.Tensor(data["x"][j]), ms.Tensor(data["y"][j].astype("int32"))) for j in range(POOL)
    ]

    def forward(x: Any) -> Any:
        if workload == "mlp":
            h = ops.relu(ops.matmul(x, p["w1"]) + p["b1"])
            h = ops.relu(ops.matmul(h, p["w2"]) + p["b2"])
            return ops.matmul(h, p["w3"]) + p["b3"]
        h = pool(ops.relu(ops.conv2d(x, p["k1"], p["c1"])))
        h = pool(ops.relu(ops.conv2d(h, p["k2"], p["c2"])))
        return ops.matmul(ops.flatten(h, start_dim=1), p["w3"]) + p["b3"]

    def loss_of(x: Any, y: Any) -> Any:
        return ops.cross_entropy(forward(x), y)

    weights = list(p.values())
    optimizer = ms.nn.SGD(weights, learning_rate=lr)
    grad_of = ms.value_and_grad(loss_of, None, weights=optimizer.parameters)

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        loss, grads = grad_of(x, y)
        optimizer(grads)
        return float(loss.asnumpy())

    return Prepared(step, "cpu", None, shown)


# --- tinygrad ------------------------------------------------------------------------------


def _tinygrad(tinygrad: Any, job: Job) -> Prepared:
    """tinygrad's idiom: Tensors (each one a parameter unless told otherwise), `backward`,
    `nn.optim.SGD`, the step captured by `TinyJit` (its way to make a step fast) and run with
    TRAINING set, as the optimizer requires."""
    workload, data, lr, device = job.workload, job.data, job.lr, job.device
    from tinygrad import Device, Tensor, TinyJit, nn
    from tinygrad.helpers import Context

    # the device comes from the environment (DEV=CPU for a CPU run, set by the parent)
    if device == "gpu" and Device.DEFAULT in ("CPU", "CLANG", "LLVM", "PYTHON", "NPY"):
        raise Unavailable(f"tinygrad sees no GPU (its default device is {Device.DEFAULT})")
    p = {name: Tensor(value).realize() for name, value in parameters(data).items()}
    batches = [
        (
            Tensor(data["x"][j]).is_param_(False).realize(),
            Tensor(data["y"][j].astype("int32")).is_param_(False).realize(),
        )
        for j in range(POOL)
    ]

    def forward(x: Any) -> Any:
        if workload == "mlp":
            h = (x.matmul(p["w1"]) + p["b1"]).relu()
            h = (h.matmul(p["w2"]) + p["b2"]).relu()
            return h.matmul(p["w3"]) + p["b3"]
        h = x.conv2d(p["k1"], p["c1"]).relu().max_pool2d((2, 2))
        h = h.conv2d(p["k2"], p["c2"]).relu().max_pool2d((2, 2))
        return h.flatten(1).matmul(p["w3"]) + p["b3"]

    optimizer = nn.optim.SGD(list(p.values()), lr=lr)

    @TinyJit
    def train(x: Any, y: Any) -> Any:
        optimizer.zero_grad()
        loss = forward(x).sparse_categorical_crossentropy(y).backward()
        # the loss with the update, in one realization: realized after the update, it would
        # be computed from the updated parameters' buffers
        Tensor.realize(loss, *optimizer.schedule_step())
        return loss

    def step(i: int) -> float:
        x, y = batches[i % POOL]
        with Context(TRAINING=1):
            return float(train(x, y).item())

    shown = _env_threads() | {"tinygrad device": str(Device.DEFAULT)}
    return Prepared(step, str(Device.DEFAULT).lower(), None, shown)


DISTRIBUTIONS = {"pytorch": "torch"}
"""Adapter id -> its package's name, where they differ, for a module without __version__."""

ADAPTERS: dict[str, Callable[..., Prepared]] = {
    "numpy": _numpy,
    "pytorch": _torch,
    "jax": _jax,
    "tensorflow": _tensorflow,
    "keras": _keras,
    "mlx": _mlx,
    "paddlepaddle": _paddle,
    "mindspore": _mindspore,
    "tinygrad": _tinygrad,
}
"""Adapter id -> the function that prepares its training step (see `targets.MODULES`)."""


def version_of(adapter: str, module: Any) -> str:
    version = str(getattr(module, "__version__", "") or "")
    if not version:
        import importlib.metadata

        try:
            version = importlib.metadata.version(DISTRIBUTIONS.get(adapter, adapter))
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
    if adapter == "keras":
        backend = module.backend.backend()
        inner = {"tensorflow": "tensorflow", "torch": "torch", "jax": "jax"}.get(backend)
        if inner:
            import importlib

            version += f" ({backend} {getattr(importlib.import_module(inner), '__version__', '?')})"
    return version
