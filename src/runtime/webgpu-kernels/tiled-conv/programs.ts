/**
 * A (grouped) conv's filter gradient as a workgroup-tiled implicit GEMM, for the webgpu backend:
 * dW = C[row, col] = Σ_d A[row, d] · B[d, col] per group g (the dispatch's z), with rows = (ky, kx, i < cin_g),
 * cols = o < cout_g and depth = (b, oy, ox); A is read from x through the conv's geometry (zero in the padding) and
 * B from dy, never materialised. The GEMM skeleton (gemmProgram) takes how A and B are read, so other convs can
 * share it; the filter gradient is where tiling pays, its sum running over batch × output pixels. (A grouped conv's
 * forward and input gradient sum over only 9 × channels per group; tiled, they ran slower on lavapipe than one
 * invocation per output, ../grouped-conv/programs.ts, so they stay that way.)
 *
 * tfjs' webgpu Conv2DBackpropFilter runs one invocation per weight, each reading its whole sum from global memory. Here a workgroup of 8×8 invocations owns a 32×32 tile of C: per step it stages a
 * 16-deep slice of A and B in workgroup memory (each element read from global memory once per tile, by neighbouring
 * lanes along the tensor's contiguous axis), then each invocation accumulates a 4×4 block from it.
 *
 * tfjs' webgpu backend wraps `getUserCode()` in its generated header (`uniforms.<name>Shape` for every input and the
 * output, the inputs as storage arrays named after `variableNames`, `setOutputAtIndex`). All geometry (shapes,
 * strides, padding, groups) travels in uniforms, so each program compiles one pipeline for every layer. The objects
 * are plain WebGPUProgram values (a type-only import): importing @tensorflow/tfjs-backend-webgpu at run time would
 * register its backend before Node's navigator.gpu exists (see src/runtime/backend.ts).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** The conv geometry as uniforms, shared with ../grouped-conv/programs.ts. */
export const CONV_UNIFORMS = 'padTopLeft : vec2<i32>, convStride : vec2<i32>, groupCount : i32,';

const TILE_ROWS = 32;
const TILE_COLS = 32;
const DEPTH = 16;
const THREADS = 8;
const LANES = THREADS * THREADS;

/**
 * The fewest output channels (per group) for which the tiled filter gradient is used: with fewer, most of a 32-wide
 * tile is padding, and on lavapipe one invocation per weight was faster (a grouped conv of ResNeXt at scale n has 1 to
 * 8 channels per group). Callers fall back to that form below it.
 */
export const TILED_FILTER_GRAD_MIN_COLS = 16;

export type ConvUniforms = Array<{ type: 'int32'; data: number[] }>;

export interface ConvGeometry {
  pad: { top: number; left: number };
  stride: [number, number];
  groups: number;
}

export function convUniforms({ pad, stride, groups }: ConvGeometry): ConvUniforms {
  return [
    { type: 'int32', data: [pad.top, pad.left] },
    { type: 'int32', data: [stride[0], stride[1]] },
    { type: 'int32', data: [groups] },
  ];
}

interface GemmSpec {
  shaderKey: string;
  variableNames: [string, string];
  /** WGSL: `let rows`, `cols`, `depth` for one group, from the uniforms. */
  sizes: string;
  /** WGSL body of `fn loadA(g, row, d) -> f32` and `fn loadB(g, d, col) -> f32` (in range; return 0 in padding). */
  loadA: string;
  loadB: string;
  /** WGSL expression: the output's flat index of (g, row, col). */
  outIndex: string;
}

/**
 * WGSL that fills `tile` ([DEPTH][width]) with one depth step of an operand: each lane loads its share (neighbouring
 * lanes along rows or columns, the operands' contiguous axis here), zero past the operand's `bound` or its depth.
 */
function stage(tile: string, width: number, first: string, bound: string, load: string): string {
  return `for (var e = 0; e < ${(DEPTH * width) / LANES}; e++) {
            let slot = lane + e * ${LANES};
            let kk = slot / ${width};
            let mm = slot % ${width};
            let index = ${first} + mm;
            let d = k0 + kk;
            var value = 0.0;
            if (index < ${bound} && d < depth) {
              value = ${load};
            }
            ${tile}[kk][mm] = value;
          }`;
}

function gemmProgram(spec: GemmSpec, outputShape: number[], rows: number, cols: number, groups: number): WebGPUProgram {
  const perRow = TILE_ROWS / THREADS;
  const perCol = TILE_COLS / THREADS;
  return {
    shaderKey: spec.shaderKey,
    variableNames: spec.variableNames,
    outputShape,
    uniforms: CONV_UNIFORMS,
    workgroupSize: [THREADS, THREADS, 1],
    // Not flat: tfjs then calls main() without an index, and workgroupId/localId locate the tile.
    dispatchLayout: { x: [outputShape.length - 1], y: outputShape.slice(0, -1).map((_, axis) => axis) },
    dispatch: [Math.ceil(cols / TILE_COLS), Math.ceil(rows / TILE_ROWS), groups],
    getUserCode: () => `
      var<workgroup> tileA : array<array<f32, ${TILE_ROWS}>, ${DEPTH}>;
      var<workgroup> tileB : array<array<f32, ${TILE_COLS}>, ${DEPTH}>;

      fn loadA(g : i32, row : i32, d : i32) -> f32 {
        ${spec.loadA}
      }

      fn loadB(g : i32, d : i32, col : i32) -> f32 {
        ${spec.loadB}
      }

      fn main() {
        ${spec.sizes}
        let g = i32(workgroupId.z);
        let firstRow = i32(workgroupId.y) * ${TILE_ROWS};
        let firstCol = i32(workgroupId.x) * ${TILE_COLS};
        let lane = i32(localIndex);
        let tx = i32(localId.x);
        let ty = i32(localId.y);

        var acc : array<array<f32, ${perCol}>, ${perRow}>;
        for (var k0 = 0; k0 < depth; k0 += ${DEPTH}) {
          ${stage('tileA', TILE_ROWS, 'firstRow', 'rows', 'loadA(g, index, d)')}
          ${stage('tileB', TILE_COLS, 'firstCol', 'cols', 'loadB(g, d, index)')}
          workgroupBarrier();
          for (var kk = 0; kk < ${DEPTH}; kk++) {
            var av : array<f32, ${perRow}>;
            var bv : array<f32, ${perCol}>;
            for (var r = 0; r < ${perRow}; r++) {
              av[r] = tileA[kk][ty * ${perRow} + r];
            }
            for (var c = 0; c < ${perCol}; c++) {
              bv[c] = tileB[kk][tx * ${perCol} + c];
            }
            for (var r = 0; r < ${perRow}; r++) {
              for (var c = 0; c < ${perCol}; c++) {
                acc[r][c] += av[r] * bv[c];
              }
            }
          }
          workgroupBarrier();
        }
        for (var r = 0; r < ${perRow}; r++) {
          let row = firstRow + ty * ${perRow} + r;
          for (var c = 0; c < ${perCol}; c++) {
            let col = firstCol + tx * ${perCol} + c;
            if (row < rows && col < cols) {
              setOutputAtIndex(${spec.outIndex}, acc[r][c]);
            }
          }
        }
      }`,
  };
}

/** dW of y = conv(x, W): inputs x [n, h, w, cin], dy [n, oh, ow, cout]; output the filter's shape [kh, kw, cin_g, cout]. */
export function tiledFilterGradProgram(filterShape: number[], groups: number): WebGPUProgram {
  const [kh, kw, inPerGroup, cout] = filterShape;
  return gemmProgram(
    {
      shaderKey: 'labTiledConvFilterGrad',
      variableNames: ['x', 'dy'],
      sizes: `let cout = uniforms.outShape[3];
        let outPerGroup = cout / uniforms.groupCount;
        let rows = uniforms.outShape[0] * uniforms.outShape[1] * uniforms.outShape[2];
        let cols = outPerGroup;
        let depth = uniforms.dyShape[0] * uniforms.dyShape[1] * uniforms.dyShape[2];`,
      // x[b, oy·s + ky − pt, ox·s + kx − pl, g·cin_g + i] for depth d = (b·oh + oy)·ow + ox, row = (ky·kw + kx)·cin_g + i.
      loadA: `let inPerGroup = uniforms.outShape[2];
        let i = row % inPerGroup;
        let tap = row / inPerGroup;
        let oh = uniforms.dyShape[1];
        let ow = uniforms.dyShape[2];
        let rest = d / ow;
        let iy = (rest % oh) * uniforms.convStride.x + tap / uniforms.outShape[1] - uniforms.padTopLeft.x;
        let ix = (d % ow) * uniforms.convStride.y + tap % uniforms.outShape[1] - uniforms.padTopLeft.y;
        if (iy < 0 || iy >= uniforms.xShape[1] || ix < 0 || ix >= uniforms.xShape[2]) {
          return 0.0;
        }
        return x[((rest / oh * uniforms.xShape[1] + iy) * uniforms.xShape[2] + ix) * uniforms.xShape[3] + g * inPerGroup + i];`,
      loadB: `let cout = uniforms.dyShape[3];
        return dy[d * cout + g * (cout / uniforms.groupCount) + col];`,
      outIndex: 'row * cout + g * outPerGroup + col',
    },
    filterShape,
    kh * kw * inPerGroup,
    cout / groups,
    groups,
  );
}
