/**
 * The model tab: the YAML editor (validated as you type), the per-layer summary in the seed's columns, and the
 * four backbones compared per stage.
 */
import type { ModelScale } from '../../worker/protocol';
import type { BackboneId } from '../state/settings';
import { BackboneComparison, type BackboneStageCounts } from './BackboneComparison';
import { BACKBONES, CUSTOM_EXPLANATION, backboneInfo } from './backbones';
import { formatExact } from './format';
import { SummaryTable, SummaryTotal } from './SummaryTable';
import type { ModelSummary, YamlProblem } from './summary-types';
import { YamlEditor } from './YamlEditor';

interface ModelPanelProps {
  backbone: BackboneId;
  scale: ModelScale;
  nc: number;
  yamlText: string;
  problems: readonly YamlProblem[];
  summary: ModelSummary | undefined;
  comparison: readonly BackboneStageCounts[];
  onYamlChange(text: string): void;
  onReset(): void;
}

function SeedCheck({ backbone, scale, nc, summary }: { backbone: BackboneId; scale: ModelScale; nc: number; summary: ModelSummary }) {
  if (backbone === 'custom' || scale !== 'l' || nc !== 4) return null;
  const seed = backboneInfo(backbone).seedTotal;
  const matches = summary.parameters === seed;
  return (
    <p className={matches ? 'seed-check ok' : 'seed-check bad'}>
      {matches ? '✓ Equals the seed’s total' : '✗ Differs from the seed’s total'} ({formatExact(seed)})
    </p>
  );
}

export function ModelPanel(props: ModelPanelProps) {
  const title = props.backbone === 'custom' ? 'Custom YAML' : BACKBONES.find((b) => b.id === props.backbone)?.label;
  const file = props.backbone === 'custom' ? 'custom.yaml' : backboneInfo(props.backbone).file;
  return (
    <div className="model-panel">
      <div className="model-columns">
        <section className="card yaml-card">
          <header className="card-header">
            <h3>
              {title} <span className="muted mono small">{file}</span>
            </h3>
            {props.backbone === 'custom' && (
              <button type="button" className="link-button" onClick={props.onReset}>
                Reset to a shipped file
              </button>
            )}
          </header>
          <p className="muted small explanation">{props.backbone === 'custom' ? CUSTOM_EXPLANATION : backboneInfo(props.backbone).explanation}</p>
          <YamlEditor label="Model YAML" value={props.yamlText} problems={props.problems} onChange={props.onYamlChange} />
        </section>
        <section className="card summary-card" aria-label="Model summary">
          <header className="card-header">
            <h3>
              Summary <span className="muted small">scale {props.scale}, nc = {props.nc}</span>
            </h3>
          </header>
          {props.summary ? (
            <>
              <SummaryTotal summary={props.summary} />
              <SeedCheck backbone={props.backbone} scale={props.scale} nc={props.nc} summary={props.summary} />
              <SummaryTable summary={props.summary} caption={`Per-layer summary of ${title}`} />
            </>
          ) : (
            <p className="muted">{props.problems.length ? 'Fix the YAML errors to see the summary.' : 'Building the summary…'}</p>
          )}
        </section>
      </div>
      <section className="card">
        <header className="card-header">
          <h3>Backbones compared</h3>
        </header>
        {props.comparison.length ? (
          <BackboneComparison counts={props.comparison} scale={props.scale} nc={props.nc} selected={props.backbone} />
        ) : (
          <p className="muted">Loading the shipped YAMLs…</p>
        )}
      </section>
    </div>
  );
}
