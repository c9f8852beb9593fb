#!/usr/bin/env python3
"""Writes keras_fixtures.json: reference values computed by real Keras 3 layers.

The Swift engine is tested against these numbers in
Tests/GANEngineTests/KerasFixtureTests.swift. Every fixture feeds explicit
inputs and weights (drawn once from a fixed NumPy seed) to Keras layers and
records forward outputs, gradients (via tf.GradientTape), moving statistics
and optimizer results.

Usage (needs `pip install tensorflow-cpu`; written with TF 2.21 / Keras 3):

    python3 make_keras_fixtures.py            # writes keras_fixtures.json here

Determinism: all inputs come from one seeded generator and are float32;
float32 results are stored as the exact Python float (double) of the float32
value, so `Float(Double)` in Swift recovers the identical bits. Keys are sorted
and no timestamps are written, so re-running on the same TF version gives a
byte-identical file.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# oneDNN may reorder float32 reductions; the plain Eigen kernels keep the
# reference closer to a straightforward evaluation order.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

SEED = 20220522
EPSILON = 1e-3  # Keras' default for every normalization layer, set explicitly.
ALPHA = 0.01  # LeakyReLU negative slope used by the study.

rng = np.random.default_rng(SEED)


# ---------------------------------------------------------------- helpers

def f32(shape, low=-1.0, high=1.0):
  """A float32 array of uniform random numbers from the shared generator."""
  return rng.uniform(low, high, size=shape).astype(np.float32)


def normal(shape, mean=0.0, scale=1.0):
  """A float32 array of normal random numbers (per-column mean/scale allowed)."""
  return (rng.standard_normal(size=shape) * scale + mean).astype(np.float32)


def tensor(value):
  """Encodes an array (or scalar) as {"shape": [...], "data": [flat, row-major]}.

  Each float32 value becomes the Python float with the same value (exact),
  which json writes with repr, i.e. shortest round-tripping digits.
  """
  array = np.asarray(value, dtype=np.float32)
  return {
      "shape": list(array.shape),
      "data": [float(v) for v in array.reshape(-1)],
  }


def fixture(description, config, tensors):
  return {
      "description": description,
      "config": {k: float(v) for k, v in config.items()},
      "tensors": {k: tensor(v) for k, v in tensors.items()},
  }


def dense_layer(kernel, bias):
  layer = keras.layers.Dense(kernel.shape[1])
  layer.build((None, kernel.shape[0]))
  layer.kernel.assign(kernel)
  layer.bias.assign(bias)
  return layer


def bn_layer(width, momentum, gamma, beta, moving_mean, moving_variance):
  layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=EPSILON)
  layer.build((None, width))
  layer.gamma.assign(gamma)
  layer.beta.assign(beta)
  layer.moving_mean.assign(moving_mean)
  layer.moving_variance.assign(moving_variance)
  return layer


# ---------------------------------------------------------------- fixtures

def dense_bn(training):
  """Dense(3→4) → BatchNormalization, loss = sum(y * R), both modes.

  Features of the input have different means and scales so that batch and
  moving statistics differ clearly; the moving statistics are not the
  defaults so that inference mode really uses them.
  """
  n, fan_in, units = 8, 3, 4
  x = normal((n, fan_in), mean=[0.5, -1.0, 2.0], scale=[1.0, 0.5, 2.0])
  kernel = f32((fan_in, units), -0.9, 0.9)
  bias = f32((units,), -0.2, 0.2)
  gamma = f32((units,), 0.5, 1.5)
  beta = f32((units,), -0.5, 0.5)
  moving_mean = f32((units,), -0.5, 0.5)
  moving_variance = f32((units,), 0.5, 2.0)
  r = normal((n, units))
  momentum = 0.99

  dense = dense_layer(kernel, bias)
  bn = bn_layer(units, momentum, gamma, beta, moving_mean, moving_variance)
  xv = tf.Variable(x)
  with tf.GradientTape() as tape:
    h = dense(xv)
    y = bn(h, training=training)
    loss = tf.reduce_sum(y * r)
  grads = tape.gradient(
      loss, [xv, dense.kernel, dense.bias, bn.gamma, bn.beta])
  mode = "training" if training else "inference"
  return fixture(
      f"Dense(3->4) -> BatchNormalization in {mode} mode; loss = sum(y*r). "
      "moving_*_after are the statistics after the call.",
      {"momentum": momentum, "epsilon": EPSILON},
      {
          "x": x, "kernel": kernel, "bias": bias, "gamma": gamma,
          "beta": beta, "moving_mean": moving_mean,
          "moving_variance": moving_variance, "r": r,
          "dense_out": h, "y": y, "loss": loss,
          "grad_x": grads[0], "grad_kernel": grads[1], "grad_bias": grads[2],
          "grad_gamma": grads[3], "grad_beta": grads[4],
          "moving_mean_after": bn.moving_mean.numpy(),
          "moving_variance_after": bn.moving_variance.numpy(),
      })


def bn_moving(momentum):
  """Three consecutive training-mode BN calls from Keras' default state."""
  calls, n, width = 3, 8, 3
  inputs = np.stack([
      normal((n, width), mean=[1.0 + c, -2.0, 0.5 * c], scale=[1.0, 3.0, 0.2])
      for c in range(calls)
  ])
  gamma = np.ones(width, np.float32)
  beta = np.zeros(width, np.float32)
  bn = bn_layer(width, momentum, gamma, beta,
                np.zeros(width, np.float32), np.ones(width, np.float32))
  outputs, means, variances = [], [], []
  for c in range(calls):
    outputs.append(bn(inputs[c], training=True).numpy())
    means.append(bn.moving_mean.numpy())
    variances.append(bn.moving_variance.numpy())
  return fixture(
      f"BatchNormalization(momentum={momentum}) from defaults (gamma 1, "
      "beta 0, moving mean 0, moving variance 1): three training calls on "
      "inputs[c]; y[c] is each call's output, moving_*[c] the statistics "
      "after call c.",
      {"momentum": momentum, "epsilon": EPSILON},
      {
          "inputs": inputs, "y": np.stack(outputs),
          "moving_mean": np.stack(means),
          "moving_variance": np.stack(variances),
      })


def per_row_norm(layer, width, description, config):
  """Forward and gradients of a per-row normalization layer (LN or GN)."""
  n = 8
  x = normal((n, width), mean=np.linspace(-1.0, 2.0, width),
             scale=np.linspace(0.3, 2.0, width))
  gamma = f32((width,), 0.5, 1.5)
  beta = f32((width,), -0.5, 0.5)
  r = normal((n, width))
  layer.build((None, width))
  layer.gamma.assign(gamma)
  layer.beta.assign(beta)
  xv = tf.Variable(x)
  with tf.GradientTape() as tape:
    y = layer(xv, training=True)
    loss = tf.reduce_sum(y * r)
  gx, gg, gb = tape.gradient(loss, [xv, layer.gamma, layer.beta])
  return fixture(description, config, {
      "x": x, "gamma": gamma, "beta": beta, "r": r, "y": y, "loss": loss,
      "grad_x": gx, "grad_gamma": gg, "grad_beta": gb,
  })


def layer_norm():
  return per_row_norm(
      keras.layers.LayerNormalization(epsilon=EPSILON), 6,
      "LayerNormalization over the feature axis of an 8x6 batch; "
      "loss = sum(y*r).",
      {"epsilon": EPSILON})


def group_norm(groups):
  return per_row_norm(
      keras.layers.GroupNormalization(groups=groups, epsilon=EPSILON), 8,
      f"GroupNormalization(groups={groups}) on an 8x8 batch (contiguous "
      "groups of features); loss = sum(y*r).",
      {"epsilon": EPSILON, "groups": groups})


def bce():
  """BinaryCrossentropy(from_logits=True), mean over a batch of 12."""
  logits = np.array(
      [-100.0, -30.0, -3.5, -0.7, 0.0, 0.2, 1.3, 4.0, 30.0, 100.0, -30.0,
       100.0], np.float32).reshape(-1, 1)
  labels = np.array(
      [0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1], np.float32).reshape(-1, 1)
  loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
  z = tf.Variable(logits)
  with tf.GradientTape() as tape:
    loss = loss_fn(labels, z)
  (grad,) = tape.gradient(loss, [z])
  return fixture(
      "BinaryCrossentropy(from_logits=True) averaged over 12 logits (n x 1), "
      "including saturated ones (+-30, +-100) with both labels.",
      {},
      {"logits": logits, "labels": labels, "loss": loss,
       "grad_logits": grad})


def adam():
  """Five Keras Adam steps on a 6-vector with a given gradient sequence."""
  lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-7
  steps, size = 5, 6
  theta0 = f32((size,), -1.0, 1.0)
  grads = normal((steps, size), scale=[1.0, 0.01, 10.0, 1e-4, 1.0, 0.5])
  grads[:, 4] = 0.0  # a parameter that never receives a gradient
  grads[2, 0] = -grads[1, 0] * 3.0  # a sign flip
  var = keras.Variable(theta0)
  opt = keras.optimizers.Adam(learning_rate=lr, beta_1=b1, beta_2=b2,
                              epsilon=eps)
  after = []
  for t in range(steps):
    opt.apply_gradients([(tf.constant(grads[t]), var)])
    after.append(var.numpy())
  return fixture(
      "keras.optimizers.Adam: theta_after[t] is the parameter after applying "
      "grads[t] (steps t = 1..5).",
      {"learning_rate": lr, "beta_1": b1, "beta_2": b2, "epsilon": eps},
      {"theta0": theta0, "grads": grads, "theta_after": np.stack(after)})


def leaky_relu():
  """LeakyReLU(0.01) forward and input gradient; no exact zeros."""
  x = np.concatenate([
      normal((14,), scale=2.0),
      np.array([-1e-3, 1e-3, -50.0, 50.0, -1e-30, 1e-30], np.float32)])
  r = normal(x.shape)
  layer = keras.layers.LeakyReLU(negative_slope=ALPHA)
  xv = tf.Variable(x)
  with tf.GradientTape() as tape:
    y = layer(xv)
    loss = tf.reduce_sum(y * r)
  (gx,) = tape.gradient(loss, [xv])
  return fixture(
      "LeakyReLU(negative_slope=0.01); loss = sum(y*r).",
      {"negative_slope": ALPHA},
      {"x": x, "r": r, "y": y, "grad_x": gx})


def gan_d_steps(joint):
  """Two discriminator steps of the study, on a tiny D.

  D = Dense(2->4) -> BatchNormalization -> LeakyReLU(0.01) -> Dense(4->1).
  Split: loss = 0.5 * (BCE(1, D(real)) + BCE(0, D(fake))), two training-mode
  passes (so BN's moving statistics update twice per step).
  Joint: loss = BCE(0 ∪ 1, D(fake ∪ real)), one pass of the concatenation
  (fake first).
  One Adam (Keras defaults) over all trainable parameters.
  """
  n, hidden, steps = 8, 4, 2
  reals = np.stack([normal((n, 2), mean=[1.9, 0.0], scale=[3.0, 2.0])
                    for _ in range(steps)])
  fakes = np.stack([normal((n, 2), mean=[0.0, 0.5], scale=[1.0, 1.0])
                    for _ in range(steps)])
  w1 = f32((2, hidden), -0.9, 0.9)
  b1 = np.zeros(hidden, np.float32)
  w2 = f32((hidden, 1), -1.0, 1.0)
  b2 = np.zeros(1, np.float32)

  dense1 = dense_layer(w1, b1)
  bn = bn_layer(hidden, 0.99, np.ones(hidden, np.float32),
                np.zeros(hidden, np.float32), np.zeros(hidden, np.float32),
                np.ones(hidden, np.float32))
  act = keras.layers.LeakyReLU(negative_slope=ALPHA)
  dense2 = dense_layer(w2, b2)
  params = [dense1.kernel, dense1.bias, bn.gamma, bn.beta,
            dense2.kernel, dense2.bias]
  names = ["kernel1", "bias1", "gamma", "beta", "kernel2", "bias2"]
  opt = keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                              epsilon=1e-7)
  bce_fn = keras.losses.BinaryCrossentropy(from_logits=True)

  def d(x):
    return dense2(act(bn(dense1(x), training=True)))

  losses = []
  history = {name: [] for name in names}
  history.update({f"grad_{name}": [] for name in names})
  history["moving_mean"] = []
  history["moving_variance"] = []
  for t in range(steps):
    real, fake = reals[t], fakes[t]
    with tf.GradientTape() as tape:
      if joint:
        batch = np.concatenate([fake, real])
        labels = np.concatenate([np.zeros((n, 1)), np.ones((n, 1))])
        loss = bce_fn(labels.astype(np.float32), d(batch))
      else:
        loss = 0.5 * (bce_fn(np.ones((n, 1), np.float32), d(real))
                      + bce_fn(np.zeros((n, 1), np.float32), d(fake)))
    grads = tape.gradient(loss, params)
    for name, g in zip(names, grads):
      history[f"grad_{name}"].append(g.numpy())
    opt.apply_gradients(zip(grads, params))
    losses.append(loss.numpy())
    for name, p in zip(names, params):
      history[name].append(p.numpy())
    history["moving_mean"].append(bn.moving_mean.numpy())
    history["moving_variance"].append(bn.moving_variance.numpy())

  kind = "joint" if joint else "split"
  tensors = {"reals": reals, "fakes": fakes, "kernel1": w1, "bias1": b1,
             "kernel2": w2, "bias2": b2, "losses": np.array(losses)}
  for name, values in history.items():
    if name.startswith("grad_"):
      tensors[name] = np.stack(values)
    else:
      tensors[f"{name}_after"] = np.stack(values)
  return fixture(
      f"Two D steps with {kind} batches: D = Dense(2->4) -> BN(momentum "
      "0.99, defaults) -> LeakyReLU(0.01) -> Dense(4->1); Adam(1e-3, 0.9, "
      "0.999, 1e-7). losses[t] is the loss before step t's update, grad_*[t] "
      "its gradients; *_after[t] the values after step t (gamma 1, beta 0 "
      "initially).",
      {"momentum": 0.99, "epsilon": EPSILON, "negative_slope": ALPHA},
      tensors)


def gan_g_gradient(mode):
  """The gradient G receives from D in one G step, for each D mode of the study.

  Same tiny D as gan_d_steps, with non-default moving statistics so that
  inference mode differs from training mode. G's loss is -BCE(0, D(fake)):
  - "train": D in training mode on the fake batch;
  - "inference": D in inference mode (moving statistics) on the fake batch;
  - "joint": D in training mode on fake ∪ real (fake first), loss on the
    fake half only.
  Recorded: g_loss = BCE(0, D(fake)) (the reported G loss), grad_fake =
  d(-BCE)/d(fake), and the moving statistics after the call.
  """
  n, hidden = 8, 4
  fake = normal((n, 2), mean=[0.0, 0.5], scale=[1.0, 1.0])
  real = normal((n, 2), mean=[1.9, 0.0], scale=[3.0, 2.0])
  w1 = f32((2, hidden), -0.9, 0.9)
  b1 = f32((hidden,), -0.1, 0.1)
  gamma = f32((hidden,), 0.7, 1.3)
  beta = f32((hidden,), -0.3, 0.3)
  moving_mean = f32((hidden,), -0.5, 0.5)
  moving_variance = f32((hidden,), 0.5, 2.0)
  w2 = f32((hidden, 1), -1.0, 1.0)
  b2 = f32((1,), -0.1, 0.1)

  dense1 = dense_layer(w1, b1)
  bn = bn_layer(hidden, 0.99, gamma, beta, moving_mean, moving_variance)
  act = keras.layers.LeakyReLU(negative_slope=ALPHA)
  dense2 = dense_layer(w2, b2)
  bce_fn = keras.losses.BinaryCrossentropy(from_logits=True)
  fv = tf.Variable(fake)
  with tf.GradientTape() as tape:
    if mode == "joint":
      logits = dense2(act(bn(dense1(tf.concat([fv, real], 0)), training=True)))
      logits = logits[:n]
    else:
      logits = dense2(act(bn(dense1(fv), training=(mode == "train"))))
    g_loss = bce_fn(np.zeros((n, 1), np.float32), logits)
    loss = -g_loss
  (grad,) = tape.gradient(loss, [fv])
  return fixture(
      f"G step's view of D in mode {mode!r}: D = Dense(2->4) -> "
      "BN(momentum 0.99) -> LeakyReLU(0.01) -> Dense(4->1) with the given "
      "weights and moving statistics; G's loss -BCE(0, D(fake)) "
      "(joint: D on fake ∪ real, loss on the fake half). g_loss = "
      "BCE(0, D(fake)); grad_fake = d(G's loss)/d(fake).",
      {"momentum": 0.99, "epsilon": EPSILON, "negative_slope": ALPHA},
      {"fake": fake, "real": real, "kernel1": w1, "bias1": b1,
       "gamma": gamma, "beta": beta, "moving_mean": moving_mean,
       "moving_variance": moving_variance, "kernel2": w2, "bias2": b2,
       "g_loss": g_loss, "grad_fake": grad,
       "moving_mean_after": bn.moving_mean.numpy(),
       "moving_variance_after": bn.moving_variance.numpy()})


def main():
  np.seterr(all="raise")
  fixtures = {
      "dense_bn_training": dense_bn(training=True),
      "dense_bn_inference": dense_bn(training=False),
      "bn_moving_momentum_0.99": bn_moving(0.99),
      "bn_moving_momentum_0.9": bn_moving(0.9),
      "layer_norm": layer_norm(),
      "group_norm_2": group_norm(2),
      "group_norm_4": group_norm(4),
      "bce_logits": bce(),
      "adam": adam(),
      "leaky_relu": leaky_relu(),
      "gan_d_steps_split": gan_d_steps(joint=False),
      "gan_d_steps_joint": gan_d_steps(joint=True),
      "gan_g_gradient_train": gan_g_gradient("train"),
      "gan_g_gradient_inference": gan_g_gradient("inference"),
      "gan_g_gradient_joint": gan_g_gradient("joint"),
  }
  document = {
      "generator": "Tests/GANEngineTests/Fixtures/make_keras_fixtures.py",
      "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                   "numpy": np.__version__,
                   "python": sys.version.split()[0]},
      "seed": SEED,
      "dtype": "float32",
      "fixtures": fixtures,
  }
  path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "keras_fixtures.json")
  with open(path, "w") as f:
    json.dump(document, f, sort_keys=True, indent=1)
    f.write("\n")
  print(f"wrote {path}: {len(fixtures)} fixtures, "
        f"TF {tf.__version__}, Keras {keras.__version__}")


if __name__ == "__main__":
  main()
