/**
 * Feature maps side by side: one row per run (each backbone after its newest epoch), one column per stage, C2–C5 of
 * the backbone then P3–P5 of the neck, all on the same val image. Each map is the mean |activation| over channels,
 * scaled to its own range (written under it), so the view compares where each backbone responds, not how strongly.
 */
import { useEffect, useRef } from 'react';
import type { FeatureMap, FeatureMapSet } from '../../model/feature-maps';
import { InfoTip } from '../components/InfoTip';
import { Term } from '../components/Term';
import { heatmapPixels } from './heatmap';

export interface FeatureMapRow {
  runId: string;
  label: string;
  color: string;
  set: FeatureMapSet;
}

const CELL = 80;

function FeatureMapCanvas({ map, label }: { map: FeatureMap; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    canvas.width = map.width;
    canvas.height = map.height;
    context.putImageData(new ImageData(heatmapPixels(map.values, map.width, map.height), map.width, map.height), 0, 0);
  }, [map]);
  return <canvas ref={ref} className="feature-map-canvas" role="img" aria-label={label} style={{ width: CELL, height: (CELL * map.height) / map.width }} />;
}

/** The text a map is named by, for screen readers and tests: what it is, its size, and its value range. */
export function featureMapLabel(runLabel: string, map: FeatureMap): string {
  return `${runLabel} ${map.name}: ${map.width}×${map.height} of ${map.channels} channels (layer ${map.layer}, stride ${map.stride}), mean |activation| ${map.min.toPrecision(3)}–${map.max.toPrecision(3)}`;
}

export function FeatureMaps({ rows }: { rows: readonly FeatureMapRow[] }) {
  // Columns by name: a custom YAML may reach other strides than the shipped backbones.
  const columns = [...new Map(rows.flatMap((row) => row.set.maps.map((map) => [map.name, map.stride] as const)))];
  return (
    <section className="card" role="region" aria-label="Feature maps">
      <header className="card-header">
        <h3>
          <Term term="feature map">Feature maps</Term>
        </h3>
        <InfoTip
          label="About the feature maps"
          text="After each epoch the worker runs the EMA model on the first val image and keeps, for the last backbone layer at each stride (C2 ÷4 … C5 ÷32) and the three maps Detect reads (P3–P5), the mean |activation| over channels. Bright = strong response. Each map is scaled to its own range, printed below it."
        />
      </header>
      {rows.length === 0 ? (
        <p className="muted">Feature maps appear after a run&apos;s first epoch.</p>
      ) : (
        <div className="feature-map-scroll">
          <table className="feature-map-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                {columns.map(([name, stride]) => (
                  <th key={name} scope="col">
                    {name} <span className="muted">÷{stride}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.runId} data-run-id={row.runId}>
                  <th scope="row">
                    <span className="swatch" style={{ background: row.color }} />
                    <span className="feature-map-run">{row.label}</span>
                    <div className="small muted">
                      epoch {row.set.epoch + 1} · {row.set.image}
                    </div>
                  </th>
                  {columns.map(([name]) => {
                    const map = row.set.maps.find((candidate) => candidate.name === name);
                    return (
                      <td key={name}>
                        {map && (
                          <figure className="feature-map">
                            <FeatureMapCanvas map={map} label={featureMapLabel(row.label, map)} />
                            <figcaption className="small muted num">
                              {map.width}×{map.height} · {map.channels} ch · {map.min.toPrecision(2)}–{map.max.toPrecision(2)}
                            </figcaption>
                          </figure>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
