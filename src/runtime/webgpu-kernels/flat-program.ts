/**
 * A WGSL program of one invocation per output element, in a flat 1-D dispatch: what our grouped convs and fused
 * updates use. tfjs' webgpu backend wraps `getUserCode()` in its generated header (uniforms, `getCoordsFromIndex`,
 * `setOutputAtIndex`, the inputs as storage arrays named after `variableNames`) and calls `main(index)`.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Invocations per workgroup, as tfjs' own element-wise programs use. */
const WORKGROUP_SIZE = 64;

export function flatProgram(shaderKey: string, variableNames: string[], uniforms: string, outputShape: number[], body: string): WebGPUProgram {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    shaderKey,
    variableNames,
    outputShape,
    uniforms,
    // `size: true` adds uniforms.size (the output's element count) to guard the last, partial workgroup.
    size: true,
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    dispatchLayout: { x: outputShape.map((_, axis) => axis) },
    // The backend reshapes this into 2-D or 3-D when it exceeds the per-dimension limit.
    dispatch: [Math.ceil(size / WORKGROUP_SIZE), 1, 1],
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.size) {
          return;
        }
        ${body}
      }`,
  };
}
