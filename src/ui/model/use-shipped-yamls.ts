/** Fetches the four shipped model YAMLs once (served from public/models/). */
import { useEffect, useState } from 'react';
import type { ShippedBackbone } from '../state/settings';
import { BACKBONES } from './backbones';

export type ShippedYamls = ReadonlyMap<ShippedBackbone, string>;

export function modelUrl(file: string): string {
  return new URL(`models/${file}`, new URL(import.meta.env.BASE_URL, globalThis.location?.href ?? 'http://localhost/')).href;
}

export function useShippedYamls(): { yamls: ShippedYamls; error?: string } {
  const [yamls, setYamls] = useState<ShippedYamls>(new Map());
  const [error, setError] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    Promise.all(
      BACKBONES.map(async (backbone) => {
        const response = await fetch(modelUrl(backbone.file));
        if (!response.ok) throw new Error(`${backbone.file}: HTTP ${response.status}`);
        return [backbone.id, await response.text()] as const;
      }),
    ).then(
      (entries) => !cancelled && setYamls(new Map(entries)),
      (reason: unknown) => !cancelled && setError(reason instanceof Error ? reason.message : String(reason)),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return { yamls, error };
}
