/**
 * The filter gradient of a (grouped) conv as a workgroup-tiled implicit GEMM, for the webgpu backend.
 *
 * dW[ky, kx, i, g·N + n] = Σ_k A[k, m] · B[k, n], per group g, where
 *   m = (ky·kw + kx)·cin_g + i            (M = kh·kw·cin_g rows: the filter's HWI position),
 *   n < N = cout_g                         (the group's output channels),
 *   k = (b·oh + oy)·ow + ox                (K = batch × output pixels),
 *   A[k, m] = x[b, oy·sy + ky − pt, ox·sx + kx − pl, g·cin_g + i]   (0 outside the image: the padding),
 *   B[k, n] = dy[b, oy, ox, g·N + n].
 *
 * tfjs' own Conv2DBackpropFilter runs one invocation per weight that loops over all of K, reading x and dy from
 * global memory each time. Here a workgroup of 8×8 invocations owns a 32×32 tile of dW: per step it stages a 16-deep
 * slice of A and B in workgroup memory (each element read from global memory once per tile), then each invocation
 * accumulates a 4×4 block from it. Groups run in the dispatch's z, so one program serves dense and grouped convs.
 *
 * The object is a plain WebGPUProgram value (type-only import; see ../grouped-conv/programs.ts for why).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export const FILTER_GRAD_UNIFORMS = 'padTopLeft : vec2<i32>, convStride : vec2<i32>, groupCount : i32,';

const TILE = 32;
const DEPTH = 16;
const THREADS = 8;
const PER_THREAD = TILE / THREADS;

export type FilterGradUniforms = Array<{ type: 'int32'; data: number[] }>;

export function filterGradUniforms(pad: { top: number; left: number }, stride: [number, number], groups: number): FilterGradUniforms {
  return [
    { type: 'int32', data: [pad.top, pad.left] },
    { type: 'int32', data: [stride[0], stride[1]] },
    { type: 'int32', data: [groups] },
  ];
}

/** The program for a filter of `filterShape` = [kh, kw, cin_g, cout] with `groups` groups. Inputs: x, dy (NHWC). */
export function tiledFilterGradProgram(filterShape: number[], groups: number): WebGPUProgram {
  const [kh, kw, inPerGroup, cout] = filterShape;
  const rows = kh * kw * inPerGroup;
  const cols = cout / groups;
  return {
    shaderKey: 'labTiledConvFilterGrad',
    variableNames: ['x', 'dy'],
    outputShape: filterShape,
    uniforms: FILTER_GRAD_UNIFORMS,
    workgroupSize: [THREADS, THREADS, 1],
    // Not flat: tfjs then calls main() without an index, and workgroupId/localId locate the tile.
    dispatchLayout: { x: [3], y: [0, 1, 2] },
    dispatch: [Math.ceil(cols / TILE), Math.ceil(rows / TILE), groups],
    getUserCode: () => `
      var<workgroup> tileA : array<array<f32, ${TILE}>, ${DEPTH}>;
      var<workgroup> tileB : array<array<f32, ${TILE}>, ${DEPTH}>;

      fn main() {
        let g = i32(workgroupId.z);
        let kw = uniforms.outShape[1];
        let inPerGroup = uniforms.outShape[2];
        let cout = uniforms.outShape[3];
        let outPerGroup = cout / uniforms.groupCount;
        let rows = uniforms.outShape[0] * kw * inPerGroup;
        let oh = uniforms.dyShape[1];
        let ow = uniforms.dyShape[2];
        let depth = uniforms.dyShape[0] * oh * ow;
        let h = uniforms.xShape[1];
        let w = uniforms.xShape[2];
        let cin = uniforms.xShape[3];
        let firstRow = i32(workgroupId.y) * ${TILE};
        let firstCol = i32(workgroupId.x) * ${TILE};
        let lane = i32(localIndex);
        let tx = i32(localId.x);
        let ty = i32(localId.y);

        var acc : array<array<f32, ${PER_THREAD}>, ${PER_THREAD}>;
        for (var k0 = 0; k0 < depth; k0 += ${DEPTH}) {
          // Stage A and B: ${DEPTH * TILE} elements each, ${(DEPTH * TILE) / (THREADS * THREADS)} per invocation; neighbouring lanes read neighbouring channels.
          for (var e = 0; e < ${(DEPTH * TILE) / (THREADS * THREADS)}; e++) {
            let slot = lane + e * ${THREADS * THREADS};
            let kk = slot / ${TILE};
            let mm = slot % ${TILE};
            let k = k0 + kk;
            let m = firstRow + mm;
            var a = 0.0;
            if (k < depth && m < rows) {
              let i = m % inPerGroup;
              let tap = m / inPerGroup;
              let ox = k % ow;
              let rest = k / ow;
              let iy = (rest % oh) * uniforms.convStride.x + tap / kw - uniforms.padTopLeft.x;
              let ix = ox * uniforms.convStride.y + tap % kw - uniforms.padTopLeft.y;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                a = x[((rest / oh * h + iy) * w + ix) * cin + g * inPerGroup + i];
              }
            }
            tileA[kk][mm] = a;
            let n = firstCol + mm;
            var b = 0.0;
            if (k < depth && n < outPerGroup) {
              b = dy[k * cout + g * outPerGroup + n];
            }
            tileB[kk][mm] = b;
          }
          workgroupBarrier();
          for (var kk = 0; kk < ${DEPTH}; kk++) {
            var av : array<f32, ${PER_THREAD}>;
            var bv : array<f32, ${PER_THREAD}>;
            for (var r = 0; r < ${PER_THREAD}; r++) {
              av[r] = tileA[kk][ty * ${PER_THREAD} + r];
              bv[r] = tileB[kk][tx * ${PER_THREAD} + r];
            }
            for (var r = 0; r < ${PER_THREAD}; r++) {
              for (var c = 0; c < ${PER_THREAD}; c++) {
                acc[r][c] += av[r] * bv[c];
              }
            }
          }
          workgroupBarrier();
        }
        for (var r = 0; r < ${PER_THREAD}; r++) {
          let m = firstRow + ty * ${PER_THREAD} + r;
          for (var c = 0; c < ${PER_THREAD}; c++) {
            let n = firstCol + tx * ${PER_THREAD} + c;
            if (m < rows && n < outPerGroup) {
              setOutputAtIndex(m * cout + g * outPerGroup + n, acc[r][c]);
            }
          }
        }
      }`,
  };
}
