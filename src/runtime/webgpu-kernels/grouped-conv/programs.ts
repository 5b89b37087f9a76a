/**
 * WGSL programs for the webgpu backend's grouped conv and its input gradient. Each is one dispatch, one invocation per
 * output element, looping over that element's reduction: forward over the taps and the group's input channels, dx
 * over the taps and the group's output channels. The filter gradient is the tiled program of ../tiled-conv.
 *
 * tfjs' webgpu backend wraps `getUserCode()` in its generated header: `uniforms.<name>Shape` for every input and the
 * output, `getCoordsFromIndex`, `get<Input>(d0, d1, d2, d3)`, `setOutputAtIndex`, and `main(index)` called with the
 * flat invocation index. All geometry (shapes, stride, padding, groups) travels in uniforms (the tiled programs' own,
 * CONV_UNIFORMS: only the top and left padding matter, the output shapes carry the rest), so each program compiles
 * one pipeline for every shape.
 *
 * The objects are plain WebGPUProgram values (a type-only import): importing @tensorflow/tfjs-backend-webgpu at run
 * time would register its backend before Node's navigator.gpu exists (see src/runtime/backend.ts).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { flatProgram } from '../flat-program';
import { CONV_UNIFORMS } from '../tiled-conv/programs';

/**
 * y[b, oy, ox, o] = Σ over the taps and the group's input channels i of
 * x[b, oy·s + ky − pt, ox·s + kx − pl, g·cin_g + i] · W[ky, kx, i, o].
 * Inputs: x [n, h, w, cin], W [kh, kw, cin_g, cout].
 */
export function groupedConvForwardProgram(outputShape: number[]): WebGPUProgram {
  return flatProgram(
    'labGroupedConv2D',
    ['x', 'W'],
    CONV_UNIFORMS,
    outputShape,
    `
        let coords = getCoordsFromIndex(index); // batch, oy, ox, o
        let inPerGroup = uniforms.wShape[2];
        let outPerGroup = uniforms.outShape[3] / uniforms.groupCount;
        let firstIn = (coords[3] / outPerGroup) * inPerGroup;
        let corner = vec2<i32>(coords[1], coords[2]) * uniforms.convStride - uniforms.padTopLeft;
        var acc = 0.0;
        for (var ky = 0; ky < uniforms.wShape[0]; ky++) {
          let iy = corner.x + ky;
          if (iy < 0 || iy >= uniforms.xShape[1]) {
            continue;
          }
          for (var kx = 0; kx < uniforms.wShape[1]; kx++) {
            let ix = corner.y + kx;
            if (ix < 0 || ix >= uniforms.xShape[2]) {
              continue;
            }
            for (var i = 0; i < inPerGroup; i++) {
              acc += getX(coords[0], iy, ix, firstIn + i) * getW(ky, kx, i, coords[3]);
            }
          }
        }
        setOutputAtIndex(index, acc);`,
  );
}

/**
 * dx[b, iy, ix, c] = Σ over the taps that read (iy, ix) and the group's output channels o of
 * dy[b, oy, ox, o] · W[ky, kx, c mod cin_g, o], where iy + pt − ky = oy·s (a tap reads the pixel only when that
 * divides evenly; the same for columns). Inputs: dy [n, oh, ow, cout], W [kh, kw, cin_g, cout].
 */
export function groupedConvBackpropInputProgram(inputShape: number[]): WebGPUProgram {
  return flatProgram(
    'labGroupedConv2DBackpropInput',
    ['dy', 'W'],
    CONV_UNIFORMS,
    inputShape,
    `
        let coords = getCoordsFromIndex(index); // batch, iy, ix, c
        let inPerGroup = uniforms.wShape[2];
        let outPerGroup = uniforms.dyShape[3] / uniforms.groupCount;
        let channelInGroup = coords[3] % inPerGroup;
        let firstOut = (coords[3] / inPerGroup) * outPerGroup;
        let shifted = vec2<i32>(coords[1], coords[2]) + uniforms.padTopLeft;
        var acc = 0.0;
        for (var ky = 0; ky < uniforms.wShape[0]; ky++) {
          let sy = shifted.x - ky;
          if (sy < 0 || sy % uniforms.convStride.x != 0) {
            continue;
          }
          let oy = sy / uniforms.convStride.x;
          if (oy >= uniforms.dyShape[1]) {
            continue;
          }
          for (var kx = 0; kx < uniforms.wShape[1]; kx++) {
            let sx = shifted.y - kx;
            if (sx < 0 || sx % uniforms.convStride.y != 0) {
              continue;
            }
            let ox = sx / uniforms.convStride.y;
            if (ox >= uniforms.dyShape[2]) {
              continue;
            }
            for (var m = 0; m < outPerGroup; m++) {
              let o = firstOut + m;
              acc += getDy(coords[0], oy, ox, o) * getW(ky, kx, channelInGroup, o);
            }
          }
        }
        setOutputAtIndex(index, acc);`,
  );
}
/**
 * dW[ky, kx, i, o] = Σ over b, oy, ox of x[b, oy·s + ky − pt, ox·s + kx − pl, g·cin_g + i] · dy[b, oy, ox, o].
 * Inputs: x [n, h, w, cin], dy [n, oh, ow, cout].
 */
export function groupedConvBackpropFilterProgram(filterShape: number[]): WebGPUProgram {
  return flatProgram(
    'labGroupedConv2DBackpropFilter',
    ['x', 'dy'],
    CONV_UNIFORMS,
    filterShape,
    `
        let coords = getCoordsFromIndex(index); // ky, kx, i, o
        let inPerGroup = uniforms.outShape[2];
        let outPerGroup = uniforms.outShape[3] / uniforms.groupCount;
        let inChannel = (coords[3] / outPerGroup) * inPerGroup + coords[2];
        let offset = vec2<i32>(coords[0], coords[1]) - uniforms.padTopLeft;
        var acc = 0.0;
        for (var b = 0; b < uniforms.dyShape[0]; b++) {
          for (var oy = 0; oy < uniforms.dyShape[1]; oy++) {
            let iy = oy * uniforms.convStride.x + offset.x;
            if (iy < 0 || iy >= uniforms.xShape[1]) {
              continue;
            }
            for (var ox = 0; ox < uniforms.dyShape[2]; ox++) {
              let ix = ox * uniforms.convStride.y + offset.y;
              if (ix < 0 || ix >= uniforms.xShape[2]) {
                continue;
              }
              acc += getX(b, iy, ix, inChannel) * getDy(b, oy, ox, coords[3]);
            }
          }
        }
        setOutputAtIndex(index, acc);`,
  );
}
