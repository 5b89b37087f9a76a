/**
 * Settings ↔ URL query, so that a link reproduces an experiment. Only values that differ from the defaults are
 * written, to keep links short; YAML texts are deflated and base64url-encoded. Reading never throws: a value that is
 * missing, malformed or out of range falls back to its default.
 */
import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { inflateCapped } from '../../input/bounded-inflate';
import type { BackendChoice } from '../../runtime/backend';
import type { ModelScale } from '../../worker/protocol';
import { BACKENDS, DEFAULT_SETTINGS, LIMITS, SCALES, SHIPPED_BACKBONES, type BackboneId, type LabSettings } from './settings';

const NUMBER_KEYS = ['img', 'batch', 'epochs', 'lr0', 'seed'] as const;
const INTEGER_KEYS = new Set<string>(['img', 'batch', 'epochs', 'seed']);

export function encodeText(text: string): string {
  const bytes = deflateSync(strToU8(text), { level: 9 });
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeText(encoded: string): string {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  // Capped: a link is untrusted, and a few KiB of it could otherwise inflate to gigabytes.
  return strFromU8(inflateCapped(bytes));
}

export function settingsToQuery(settings: LabSettings): string {
  const params = new URLSearchParams();
  if (settings.backbone !== DEFAULT_SETTINGS.backbone) params.set('backbone', settings.backbone);
  if (settings.scale !== DEFAULT_SETTINGS.scale) params.set('scale', settings.scale);
  for (const key of NUMBER_KEYS) {
    if (settings[key] !== DEFAULT_SETTINGS[key]) params.set(key, String(settings[key]));
  }
  if (settings.backend !== DEFAULT_SETTINGS.backend) params.set('backend', settings.backend);
  if (settings.autoAnchor !== DEFAULT_SETTINGS.autoAnchor) params.set('autoanchor', settings.autoAnchor ? '1' : '0');
  if (settings.hypYaml) params.set('hyp', encodeText(settings.hypYaml));
  if (settings.backbone === 'custom' && settings.customYaml) params.set('yaml', encodeText(settings.customYaml));
  return params.toString();
}

function isBackbone(value: string): value is BackboneId {
  return value === 'custom' || (SHIPPED_BACKBONES as readonly string[]).includes(value);
}

function readNumber(params: URLSearchParams, key: (typeof NUMBER_KEYS)[number]): number {
  const raw = params.get(key);
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  const { min, max } = LIMITS[key];
  const valid = Number.isFinite(value) && value >= min && value <= max && (!INTEGER_KEYS.has(key) || Number.isInteger(value));
  return valid ? value : DEFAULT_SETTINGS[key];
}

function readText(params: URLSearchParams, key: string): string {
  const raw = params.get(key);
  if (!raw) return '';
  try {
    return decodeText(raw);
  } catch {
    return '';
  }
}

export function settingsFromQuery(query: string): LabSettings {
  const params = new URLSearchParams(query);
  const backbone = params.get('backbone') ?? '';
  const scale = params.get('scale') ?? '';
  const backend = params.get('backend') ?? '';
  const settings: LabSettings = {
    ...DEFAULT_SETTINGS,
    backbone: isBackbone(backbone) ? backbone : DEFAULT_SETTINGS.backbone,
    scale: (SCALES as readonly string[]).includes(scale) ? (scale as ModelScale) : DEFAULT_SETTINGS.scale,
    backend: (BACKENDS as readonly string[]).includes(backend) ? (backend as BackendChoice) : DEFAULT_SETTINGS.backend,
    autoAnchor: params.has('autoanchor') ? params.get('autoanchor') !== '0' : DEFAULT_SETTINGS.autoAnchor,
    hypYaml: readText(params, 'hyp'),
    customYaml: readText(params, 'yaml'),
  };
  for (const key of NUMBER_KEYS) settings[key] = readNumber(params, key);
  return settings;
}
