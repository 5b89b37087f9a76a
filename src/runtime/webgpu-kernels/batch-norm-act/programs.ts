/**
 * WGSL programs of the fused training BatchNorm + activation (contract: src/model/modules/batch-norm-act-kernel.ts).
 * Per BN: statistics and running-stat update in one reduction pass (one workgroup per channel, two sweeps so the
 * variance is Σ(x − μ)², not the cancellation-prone Σx² − μ²), normalise + activation in one element-wise program;
 * backward: Σdz and Σdz·x̂ in one reduction pass, dx in one element-wise program (x̂ and z are recomputed from x).
 *
 * tfjs' header gives each input as a storage array named after variableNames, `uniforms.xShape` (vec4: N, H, W, C)
 * and setOutputAtIndex. Plain WebGPUProgram values (type-only import), as in ../tiled-conv/programs.ts.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { FusedActivation } from '../../../model/modules/batch-norm-act';

const ELEMENTWISE_WORKGROUP = 64;
/** Threads per channel in the reductions (a power of two: the tree halves it). */
const REDUCE_WORKGROUP = 64;

/** WGSL helpers: numerically safe softplus and tanh of a non-negative argument, and the logistic sigmoid. */
const MATH = `
  fn softplusSafe(z : f32) -> f32 {
    if (z > 20.0) { return z; }
    return log(1.0 + exp(z));
  }
  fn tanhNonNegative(s : f32) -> f32 {
    let e = exp(-2.0 * s);
    return (1.0 - e) / (1.0 + e);
  }
  fn sigmoidOf(z : f32) -> f32 {
    return 1.0 / (1.0 + exp(-z));
  }`;

/** act(z) as a WGSL expression. */
function activation(act: FusedActivation): string {
  switch (act) {
    case 'linear':
      return 'z';
    case 'relu':
      return 'max(z, 0.0)';
    case 'leaky':
      return 'select(0.1 * z, z, z > 0.0)';
    case 'silu':
      return 'z * sigmoidOf(z)';
    case 'mish':
      return 'z * tanhNonNegative(softplusSafe(z))';
  }
}

/** act'(z) as a WGSL expression (relu and leaky take the left derivative at 0, as tfjs' gradients do). */
function activationDerivative(act: FusedActivation): string {
  switch (act) {
    case 'linear':
      return '1.0';
    case 'relu':
      return 'select(0.0, 1.0, z > 0.0)';
    case 'leaky':
      return 'select(0.1, 1.0, z > 0.0)';
    case 'silu':
      return 'sigmoidOf(z) * (1.0 + z * (1.0 - sigmoidOf(z)))';
    case 'mish':
      return '(tanhNonNegative(softplusSafe(z)) + z * sigmoidOf(z) * (1.0 - tanhNonNegative(softplusSafe(z)) * tanhNonNegative(softplusSafe(z))))';
  }
}

/** x̂ and z of element `index` (channel c) from the saved inputs. */
const NORMALIZE = `
        let xhat = (x[index] - mean[c]) * inverseSqrt(variance[c] + uniforms.eps);
        let z = gamma[c] * xhat + beta[c];`;

function elementwise(shaderKey: string, variableNames: string[], xShape: number[], body: string): WebGPUProgram {
  const size = xShape.reduce((a, b) => a * b, 1);
  return {
    shaderKey,
    variableNames,
    outputShape: xShape,
    uniforms: 'eps : f32,',
    size: true,
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1],
    dispatchLayout: { x: xShape.map((_, axis) => axis) },
    dispatch: [Math.ceil(size / ELEMENTWISE_WORKGROUP), 1, 1],
    getUserCode: () => `${MATH}
      fn main(index : i32) {
        if (index >= uniforms.size) {
          return;
        }
        let c = index % uniforms.xShape.w;
        ${body}
      }`,
  };
}

/**
 * One workgroup per channel c: each thread sums `term(r)` over rows r ≡ thread (mod workgroup), then a tree in
 * workgroup memory. `sweeps` run one after another; sweep k's total is `total<k>` for the later sweeps and `finish`.
 */
function perChannelReduction(shaderKey: string, variableNames: string[], channels: number, outputRows: number, uniforms: string, sweeps: string[], finish: string): WebGPUProgram {
  const sweep = (term: string, k: number) => `
        var acc${k} = 0.0;
        for (var r = t; r < rows; r = r + ${REDUCE_WORKGROUP}) {
          let index = r * channels + c;
          acc${k} = acc${k} + ${term};
        }
        partial[t] = acc${k};
        workgroupBarrier();
        for (var k = ${REDUCE_WORKGROUP / 2}; k > 0; k = k / 2) {
          if (t < k) {
            partial[t] = partial[t] + partial[t + k];
          }
          workgroupBarrier();
        }
        let total${k} = partial[0];
        workgroupBarrier();`;
  return {
    shaderKey,
    variableNames,
    outputShape: [outputRows, channels],
    uniforms,
    workgroupSize: [REDUCE_WORKGROUP, 1, 1],
    dispatchLayout: { x: [0, 1] },
    dispatch: [channels, 1, 1],
    getUserCode: () => `${MATH}
      var<workgroup> partial : array<f32, ${REDUCE_WORKGROUP}>;
      fn main(unusedIndex : i32) {
        let c = i32(workgroupId.x);
        let t = i32(localId.x);
        let channels = uniforms.xShape.w;
        let rows = uniforms.xShape.x * uniforms.xShape.y * uniforms.xShape.z;
        ${sweeps.map(sweep).join('\n')}
        if (t == 0) {
          ${finish}
        }
      }`,
  };
}

/** Output [4, C]: batch mean, biased variance, running mean', running var' (uniform `momentum`). */
export function statsProgram(channels: number): WebGPUProgram {
  return perChannelReduction('LabBnStats', ['x', 'runningMean', 'runningVar'], channels, 4, 'momentum : f32,', ['x[index]', '(x[index] - total0 / f32(rows)) * (x[index] - total0 / f32(rows))'], `
          let mean = total0 / f32(rows);
          let variance = total1 / f32(rows);
          let unbiased = total1 / f32(max(rows - 1, 1));
          setOutputAtIndex(c, mean);
          setOutputAtIndex(channels + c, variance);
          setOutputAtIndex(2 * channels + c, (1.0 - uniforms.momentum) * runningMean[c] + uniforms.momentum * mean);
          setOutputAtIndex(3 * channels + c, (1.0 - uniforms.momentum) * runningVar[c] + uniforms.momentum * unbiased);`);
}

export function forwardProgram(xShape: number[], act: FusedActivation): WebGPUProgram {
  return elementwise(`LabBnActForward_${act}`, ['x', 'mean', 'variance', 'gamma', 'beta'], xShape, `${NORMALIZE}
        setOutputAtIndex(index, ${activation(act)});`);
}

/** Output [2, C]: Σdz and Σdz·x̂ (dβ and dγ), with dz = dy·act'(z). */
export function gradSumsProgram(channels: number, act: FusedActivation): WebGPUProgram {
  const dz = `(dy[index] * bnActDerivative(index, c))`;
  const program = perChannelReduction(`LabBnActGradSums_${act}`, ['dy', 'x', 'mean', 'variance', 'gamma', 'beta'], channels, 2, 'eps : f32,', [dz, `${dz} * bnXhat(index, c)`], `
          setOutputAtIndex(c, total0);
          setOutputAtIndex(channels + c, total1);`);
  const userCode = program.getUserCode();
  program.getUserCode = () => `
      fn bnXhat(index : i32, c : i32) -> f32 {
        return (x[index] - mean[c]) * inverseSqrt(variance[c] + uniforms.eps);
      }
      fn bnActDerivative(index : i32, c : i32) -> f32 {
        let z = gamma[c] * bnXhat(index, c) + beta[c];
        return ${activationDerivative(act)};
      }
      ${userCode}`;
  return program;
}

/** dx = γ·r·(dz − Σdz/N − x̂·Σdz·x̂/N), r = 1/√(σ² + eps). */
export function gradInputProgram(xShape: number[], act: FusedActivation): WebGPUProgram {
  return elementwise(`LabBnActGradInput_${act}`, ['dy', 'x', 'mean', 'variance', 'gamma', 'beta', 'sums'], xShape, `${NORMALIZE}
        let channels = uniforms.xShape.w;
        let n = f32(uniforms.xShape.x * uniforms.xShape.y * uniforms.xShape.z);
        let dz = dy[index] * ${activationDerivative(act)};
        let r = inverseSqrt(variance[c] + uniforms.eps);
        setOutputAtIndex(index, gamma[c] * r * (dz - sums[c] / n - xhat * sums[channels + c] / n));`);
}
