/**
 * The model zoo's public API. `summarizeModelYaml`/`validateModelYaml` are pure (no tfjs); import them from
 * './summary' directly where tfjs must not be loaded (the UI's main thread).
 */
export type { Scale, BuildOptions } from './scale';
export { SCALES, isScale, makeDivisible } from './scale';
export type { YamlProblem } from './errors';
export { ModelYamlError, formatProblem } from './errors';
export type { SummaryRow, ModelSummary } from './summary';
export { summarizeModelYaml, validateModelYaml, formatSummaryTable, formatPythonValue } from './summary';
export { buildModel, YoloModel } from './model';
export { saveSafetensors, loadSafetensors, WeightsError } from './weights';
export type { SafeTensor, SafetensorsDtype } from './safetensors';
export { encodeSafetensors, decodeSafetensors, SafetensorsError } from './safetensors';
export { setGroupedConvStrategy, BN_EPS, BN_MOMENTUM } from './modules/leaves';
export type { GroupedConvStrategy } from './modules/grouped-conv';
export type { DetectionModel, ForwardMode, NamedParameter, NamedBuffer, ParamGroup } from './types';
