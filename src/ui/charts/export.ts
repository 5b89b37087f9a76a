/**
 * Chart export: the chart's own SVG, made self-contained (computed styles inlined, white background, title), saved
 * as SVG or rasterised to PNG at 2× for slides.
 */

const STYLE_PROPERTIES = ['fill', 'stroke', 'stroke-width', 'stroke-opacity', 'fill-opacity', 'opacity', 'font-size', 'font-family', 'font-weight', 'stroke-dasharray'];

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, fileName: string, type = 'text/plain'): void {
  downloadBlob(new Blob([text], { type }), fileName);
}

/** A standalone copy of the chart's SVG with the title on top. */
export function standaloneSvg(svg: SVGSVGElement, title: string): { text: string; width: number; height: number } {
  const width = svg.clientWidth || Number(svg.getAttribute('width')) || 400;
  const chartHeight = svg.clientHeight || Number(svg.getAttribute('height')) || 240;
  const titleHeight = 28;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  // Inline computed styles: CSS rules do not travel with a serialized SVG.
  const sources = [svg, ...svg.querySelectorAll('*')];
  const targets = [clone, ...clone.querySelectorAll('*')];
  sources.forEach((source, i) => {
    const style = getComputedStyle(source);
    const declarations = STYLE_PROPERTIES.map((name) => `${name}:${style.getPropertyValue(name)}`).join(';');
    targets[i].setAttribute('style', declarations);
  });
  const ns = 'http://www.w3.org/2000/svg';
  const wrapper = document.createElementNS(ns, 'svg');
  wrapper.setAttribute('xmlns', ns);
  wrapper.setAttribute('width', String(width));
  wrapper.setAttribute('height', String(chartHeight + titleHeight));
  wrapper.setAttribute('viewBox', `0 0 ${width} ${chartHeight + titleHeight}`);
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', '12');
  heading.setAttribute('y', '19');
  heading.setAttribute('style', 'font: 600 13px system-ui, sans-serif; fill: #202124');
  heading.textContent = title;
  clone.setAttribute('x', '0');
  clone.setAttribute('y', String(titleHeight));
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(chartHeight));
  wrapper.append(background, heading, clone);
  return { text: new XMLSerializer().serializeToString(wrapper), width, height: chartHeight + titleHeight };
}

export function exportSvg(svg: SVGSVGElement, title: string, fileName: string): void {
  downloadText(standaloneSvg(svg, title).text, fileName, 'image/svg+xml');
}

export async function exportPng(svg: SVGSVGElement, title: string, fileName: string, scale = 2): Promise<void> {
  const { text, width, height } = standaloneSvg(svg, title);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('PNG encoding failed');
    downloadBlob(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `metrics/mAP_0.5:0.95` → `metrics_mAP_0.5-0.95`: safe in file names. */
export function tagFileName(tag: string): string {
  return tag.replace(/\//g, '_').replace(/:/g, '-');
}
