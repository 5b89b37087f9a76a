/** The worker's RunSettings for a new run, from the page's settings, the model YAML and the loaded dataset. */
import { randomRunId } from '../../store';
import type { RunSettings } from '../../worker/protocol';
import { backboneInfo } from '../model/backbones';
import type { LabSettings } from '../state/settings';
import type { LoadedDataset } from '../data/use-dataset';

export function modelFileName(settings: LabSettings): string {
  return settings.backbone === 'custom' ? 'custom.yaml' : backboneInfo(settings.backbone).file;
}

function timeLabel(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The name shared by the runs of one "Train all four" queue, so the legend groups them: "all four-l 12-04 09:30:00". */
export function queueGroupName(scale: LabSettings['scale'], now = new Date()): string {
  return `all four-${scale} ${timeLabel(now)}`;
}

export function buildRunSettings(settings: LabSettings, modelYaml: string, data: LoadedDataset, now = new Date()): RunSettings {
  const short = settings.backbone === 'custom' ? 'custom' : backboneInfo(settings.backbone).short;
  return {
    runId: randomRunId(),
    name: `${short}-${settings.scale} ${timeLabel(now)}`,
    modelYaml,
    modelName: modelFileName(settings),
    scale: settings.scale,
    nc: data.dataset.names.length,
    classNames: [...data.dataset.names],
    data: data.spec,
    hypYaml: settings.hypYaml,
    hypOverrides: { lr0: settings.lr0 },
    img: settings.img,
    batch: settings.batch,
    epochs: settings.epochs,
    seed: settings.seed,
    backend: settings.backend,
    autoAnchor: settings.autoAnchor,
  };
}
