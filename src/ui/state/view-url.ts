/**
 * What the page shows (the tab, the chart options) ↔ the URL's hash, so a reload or a shared link opens the same
 * view. The experiment settings live in the query (url-state.ts); the view lives in the hash so the two never clash.
 * Only values that differ from the defaults are written; reading never throws, a bad value falls back to its default.
 */
import type { XAxisMode } from '../charts/series';

export const TAB_IDS = ['model', 'data', 'charts', 'predictions', 'learn', 'runs'] as const;
export type TabId = (typeof TAB_IDS)[number];

export interface PageView {
  tab: TabId;
  smoothing: number;
  mode: XAxisMode;
  logY: boolean;
}

export const DEFAULT_VIEW: PageView = { tab: 'model', smoothing: 0.6, mode: 'step', logY: false };
const X_MODES: readonly XAxisMode[] = ['step', 'epoch', 'relative'];

export function viewToHash(view: PageView): string {
  const params = new URLSearchParams();
  if (view.tab !== DEFAULT_VIEW.tab) params.set('tab', view.tab);
  if (view.smoothing !== DEFAULT_VIEW.smoothing) params.set('smooth', String(view.smoothing));
  if (view.mode !== DEFAULT_VIEW.mode) params.set('x', view.mode);
  if (view.logY !== DEFAULT_VIEW.logY) params.set('logy', view.logY ? '1' : '0');
  const text = params.toString();
  return text ? `#${text}` : '';
}

export function viewFromHash(hash: string): PageView {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const tab = params.get('tab') ?? '';
  const mode = params.get('x') ?? '';
  const smoothRaw = params.get('smooth');
  const smoothing = smoothRaw === null || smoothRaw.trim() === '' ? NaN : Number(smoothRaw);
  return {
    tab: (TAB_IDS as readonly string[]).includes(tab) ? (tab as TabId) : DEFAULT_VIEW.tab,
    // The smoothing slider's range is [0, 0.99].
    smoothing: Number.isFinite(smoothing) && smoothing >= 0 && smoothing <= 0.99 ? smoothing : DEFAULT_VIEW.smoothing,
    mode: (X_MODES as readonly string[]).includes(mode) ? (mode as XAxisMode) : DEFAULT_VIEW.mode,
    logY: params.has('logy') ? params.get('logy') === '1' : DEFAULT_VIEW.logY,
  };
}
