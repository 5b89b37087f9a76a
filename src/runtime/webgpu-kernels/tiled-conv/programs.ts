/**
 * A (grouped) conv and its two gradients as workgroup-tiled implicit GEMMs, for the webgpu backend:
 * C[row, col] = Σ_d A[row, d] · B[d, col] per group g (the dispatch's z), where A and B are read straight from the
 * conv's tensors through its geometry (zero in the padding), never materialised:
 *
 * | program | rows (M) | cols (N) | depth (K) | A | B |
 * |---|---|---|---|---|---|
 * | forward y | b, oy, ox | o < cout_g | ky, kx, i < cin_g | x | W |
 * | input grad dx | b, iy, ix | c < cin_g | ky, kx, o < cout_g | dy (where iy + pt − ky = oy·s) | W |
 * | filter grad dW | ky, kx, i < cin_g | o < cout_g | b, oy, ox | x | dy |
 *
 * tfjs' webgpu Conv2DBackpropFilter and our earlier grouped programs ran one invocation per output, each reading its
 * whole sum from global memory. Here a workgroup of 8×8 invocations owns a 32×32 tile of C: per step it stages a
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

const CONV_UNIFORMS = 'padTopLeft : vec2<i32>, convStride : vec2<i32>, groupCount : i32,';

const TILE = 32;
const DEPTH = 16;
const THREADS = 8;
const PER_THREAD = TILE / THREADS;
const LOADS = (DEPTH * TILE) / (THREADS * THREADS);

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

/** Which index of a staged operand neighbouring lanes share: the one along which the tensor is contiguous. */
type Fast = 'outer' | 'depth';

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
  aFast: Fast;
  bFast: Fast;
}

/** The staging slot of lane `slot`: (depth index, row or column index), neighbouring lanes along `fast`. */
const slotOf = (fast: Fast) => (fast === 'depth' ? `let kk = slot % ${DEPTH}; let mm = slot / ${DEPTH};` : `let kk = slot / ${TILE}; let mm = slot % ${TILE};`);

function gemmProgram(spec: GemmSpec, outputShape: number[], rows: number, cols: number, groups: number): WebGPUProgram {
  return {
    shaderKey: spec.shaderKey,
    variableNames: spec.variableNames,
    outputShape,
    uniforms: CONV_UNIFORMS,
    workgroupSize: [THREADS, THREADS, 1],
    // Not flat: tfjs then calls main() without an index, and workgroupId/localId locate the tile.
    dispatchLayout: { x: [outputShape.length - 1], y: outputShape.slice(0, -1).map((_, axis) => axis) },
    dispatch: [Math.ceil(cols / TILE), Math.ceil(rows / TILE), groups],
    getUserCode: () => `
      var<workgroup> tileA : array<array<f32, ${TILE}>, ${DEPTH}>;
      var<workgroup> tileB : array<array<f32, ${TILE}>, ${DEPTH}>;

      fn loadA(g : i32, row : i32, d : i32) -> f32 {
        ${spec.loadA}
      }

      fn loadB(g : i32, d : i32, col : i32) -> f32 {
        ${spec.loadB}
      }

      fn main() {
        ${spec.sizes}
        let g = i32(workgroupId.z);
        let firstRow = i32(workgroupId.y) * ${TILE};
        let firstCol = i32(workgroupId.x) * ${TILE};
        let lane = i32(localIndex);
        let tx = i32(localId.x);
        let ty = i32(localId.y);

        var acc : array<array<f32, ${PER_THREAD}>, ${PER_THREAD}>;
        for (var k0 = 0; k0 < depth; k0 += ${DEPTH}) {
          for (var e = 0; e < ${LOADS}; e++) {
            {
              let slot = lane + e * ${THREADS * THREADS};
              ${slotOf(spec.aFast)}
              let row = firstRow + mm;
              let d = k0 + kk;
              var a = 0.0;
              if (row < rows && d < depth) {
                a = loadA(g, row, d);
              }
              tileA[kk][mm] = a;
            }
            {
              let slot = lane + e * ${THREADS * THREADS};
              ${slotOf(spec.bFast)}
              let col = firstCol + mm;
              let d = k0 + kk;
              var b = 0.0;
              if (col < cols && d < depth) {
                b = loadB(g, d, col);
              }
              tileB[kk][mm] = b;
            }
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
          let row = firstRow + ty * ${PER_THREAD} + r;
          for (var c = 0; c < ${PER_THREAD}; c++) {
            let col = firstCol + tx * ${PER_THREAD} + c;
            if (row < rows && col < cols) {
              setOutputAtIndex(${spec.outIndex}, acc[r][c]);
            }
          }
        }
      }`,
  };
}

/**
 * x[b, iy, ix, g·cin_g + i] for output pixel `pixel` = (b·oh + oy)·ow + ox and tap (ky, kx), or 0 in the padding.
 * WGSL statements ending in `return`; expects `pixel`, `ky`, `kx`, `i` and `g` in scope.
 */
const READ_X_AT_TAP = `
        let oh = uniforms.${'${DY}'}Shape[1];
        let ow = uniforms.${'${DY}'}Shape[2];
        let rest = pixel / ow;
        let iy = (rest % oh) * uniforms.convStride.x + ky - uniforms.padTopLeft.x;
        let ix = (pixel % ow) * uniforms.convStride.y + kx - uniforms.padTopLeft.y;
        if (iy < 0 || iy >= uniforms.xShape[1] || ix < 0 || ix >= uniforms.xShape[2]) {
          return 0.0;
        }
        let inPerGroup = uniforms.${'${W}'}Shape[2];
        return x[((rest / oh * uniforms.xShape[1] + iy) * uniforms.xShape[2] + ix) * uniforms.xShape[3] + g * inPerGroup + i];`;

/** READ_X_AT_TAP with the names of the tensors that carry the output pixels' and the filter's shapes. */
const readXAtTap = (pixelsOf: string, filterOf: string) => READ_X_AT_TAP.replaceAll('${DY}', pixelsOf).replaceAll('${W}', filterOf);

/** y = conv(x, W): inputs x [n, h, w, cin], W [kh, kw, cin_g, cout]; output [n, oh, ow, cout]. */
export function tiledConvForwardProgram(outputShape: number[], groups: number): WebGPUProgram {
  const [n, oh, ow, cout] = outputShape;
  return gemmProgram(
    {
      shaderKey: 'labTiledConv',
      variableNames: ['x', 'W'],
      sizes: `let cout = uniforms.outShape[3];
        let outPerGroup = cout / uniforms.groupCount;
        let rows = uniforms.outShape[0] * uniforms.outShape[1] * uniforms.outShape[2];
        let cols = outPerGroup;
        let depth = uniforms.wShape[0] * uniforms.wShape[1] * uniforms.wShape[2];`,
      loadA: `let pixel = row;
        let i = d % uniforms.wShape[2];
        let tap = d / uniforms.wShape[2];
        let ky = tap / uniforms.wShape[1];
        let kx = tap % uniforms.wShape[1];
        ${readXAtTap('out', 'w')}`,
      loadB: `let cout = uniforms.wShape[3];
        return W[d * cout + g * (cout / uniforms.groupCount) + col];`,
      outIndex: 'row * cout + g * outPerGroup + col',
      aFast: 'depth',
      bFast: 'outer',
    },
    outputShape,
    n * oh * ow,
    cout / groups,
    groups,
  );
}

/** dx of y = conv(x, W): inputs dy [n, oh, ow, cout], W [kh, kw, cin_g, cout]; output x's shape [n, h, w, cin]. */
export function tiledConvInputGradProgram(inputShape: number[], groups: number): WebGPUProgram {
  const [n, h, w, cin] = inputShape;
  return gemmProgram(
    {
      shaderKey: 'labTiledConvInputGrad',
      variableNames: ['dy', 'W'],
      sizes: `let cin = uniforms.outShape[3];
        let inPerGroup = uniforms.wShape[2];
        let outPerGroup = uniforms.wShape[3] / uniforms.groupCount;
        let rows = uniforms.outShape[0] * uniforms.outShape[1] * uniforms.outShape[2];
        let cols = inPerGroup;
        let depth = uniforms.wShape[0] * uniforms.wShape[1] * outPerGroup;`,
      loadA: `let outPerGroup = uniforms.wShape[3] / uniforms.groupCount;
        let o = d % outPerGroup;
        let tap = d / outPerGroup;
        let ky = tap / uniforms.wShape[1];
        let kx = tap % uniforms.wShape[1];
        let ix = row % uniforms.outShape[2];
        let rest = row / uniforms.outShape[2];
        let sy = rest % uniforms.outShape[1] + uniforms.padTopLeft.x - ky;
        let sx = ix + uniforms.padTopLeft.y - kx;
        if (sy < 0 || sx < 0 || sy % uniforms.convStride.x != 0 || sx % uniforms.convStride.y != 0) {
          return 0.0;
        }
        let oy = sy / uniforms.convStride.x;
        let ox = sx / uniforms.convStride.y;
        if (oy >= uniforms.dyShape[1] || ox >= uniforms.dyShape[2]) {
          return 0.0;
        }
        let b = rest / uniforms.outShape[1];
        return dy[((b * uniforms.dyShape[1] + oy) * uniforms.dyShape[2] + ox) * uniforms.dyShape[3] + g * outPerGroup + o];`,
      loadB: `let outPerGroup = uniforms.wShape[3] / uniforms.groupCount;
        let o = d % outPerGroup;
        let tap = d / outPerGroup;
        return W[(tap * uniforms.wShape[2] + col) * uniforms.wShape[3] + g * outPerGroup + o];`,
      outIndex: 'row * cin + g * inPerGroup + col',
      aFast: 'depth',
      bFast: 'depth',
    },
    inputShape,
    n * h * w,
    cin / groups,
    groups,
  );
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
      loadA: `let pixel = d;
        let i = row % uniforms.outShape[2];
        let tap = row / uniforms.outShape[2];
        let ky = tap / uniforms.outShape[1];
        let kx = tap % uniforms.outShape[1];
        ${readXAtTap('dy', 'out')}`,
      loadB: `let cout = uniforms.dyShape[3];
        return dy[d * cout + g * (cout / uniforms.groupCount) + col];`,
      outIndex: 'row * cout + g * outPerGroup + col',
      aFast: 'outer',
      bFast: 'outer',
    },
    filterShape,
    kh * kw * inPerGroup,
    cout / groups,
    groups,
  );
}
