/**
 * The optimizer's element-wise updates (AssemblyScript → WebAssembly SIMD) on tfjs' heap, like ../../batch-norm-act:
 * the module imports tfjs' memory and owns none. Pointers are byte offsets of float32 tensors of `count` values.
 * Each loop runs f32x4 vectors, then single values for the last count % 4.
 */

/** Nesterov SGD with decoupled-in-gradient weight decay: d = g + wd·p; v' = μ·v + d; p' = p − lr·(d + μ·v'). */
export function sgdNesterov(p: usize, v: usize, g: usize, pOut: usize, vOut: usize, count: i32, lr: f32, mu: f32, wd: f32): void {
  const vectors = count & ~3;
  const lrV = f32x4.splat(lr);
  const muV = f32x4.splat(mu);
  const wdV = f32x4.splat(wd);
  let i = 0;
  for (; i < vectors; i += 4) {
    const at = <usize>i << 2;
    const pi = v128.load(p + at);
    const d = f32x4.add(v128.load(g + at), f32x4.mul(wdV, pi));
    const vi = f32x4.add(f32x4.mul(muV, v128.load(v + at)), d);
    v128.store(vOut + at, vi);
    v128.store(pOut + at, f32x4.sub(pi, f32x4.mul(lrV, f32x4.add(d, f32x4.mul(muV, vi)))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    const pi = load<f32>(p + at);
    const d = load<f32>(g + at) + wd * pi;
    const vi = mu * load<f32>(v + at) + d;
    store<f32>(vOut + at, vi);
    store<f32>(pOut + at, pi - lr * (d + mu * vi));
  }
}

/** out = a·x + b·y (EMA: a = decay, b = 1 − decay; a sum: a = b = 1). */
export function axpby(x: usize, y: usize, out: usize, count: i32, a: f32, b: f32): void {
  const vectors = count & ~3;
  const aV = f32x4.splat(a);
  const bV = f32x4.splat(b);
  let i = 0;
  for (; i < vectors; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.add(f32x4.mul(aV, v128.load(x + at)), f32x4.mul(bV, v128.load(y + at))));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, a * load<f32>(x + at) + b * load<f32>(y + at));
  }
}

/**
 * sgdNesterov over n tensors listed in a table of 8 words each: p, v, g, pOut, vOut (pointers), count (i32), lr, wd
 * (f32). One call updates many tensors, so a kernel thread gets a whole share of the model's parameters.
 */
export function sgdNesterovList(table: usize, n: i32, mu: f32): void {
  for (let j = 0; j < n; j++) {
    const row = table + (<usize>j << 5);
    sgdNesterov(
      load<u32>(row), load<u32>(row, 4), load<u32>(row, 8), load<u32>(row, 12), load<u32>(row, 16),
      load<i32>(row, 20), load<f32>(row, 24), mu, load<f32>(row, 28),
    );
  }
}

/** axpby over n tensors listed in a table of 4 words each: x, y, out (pointers), count (i32). */
export function axpbyList(table: usize, n: i32, a: f32, b: f32): void {
  for (let j = 0; j < n; j++) {
    const row = table + (<usize>j << 4);
    axpby(load<u32>(row), load<u32>(row, 4), load<u32>(row, 8), load<i32>(row, 12), a, b);
  }
}
