/** Settings held in the page URL (replaceState, so editing does not flood the back button). */
import { useCallback, useState } from 'react';
import type { LabSettings } from './settings';
import { settingsFromQuery, settingsToQuery } from './url-state';

export function useUrlSettings(): [LabSettings, (patch: Partial<LabSettings>) => void] {
  const [settings, setSettings] = useState<LabSettings>(() => settingsFromQuery(window.location.search));
  const update = useCallback((patch: Partial<LabSettings>) => {
    setSettings((current) => {
      const next = { ...current, ...patch };
      const query = settingsToQuery(next);
      window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
      return next;
    });
  }, []);
  return [settings, update];
}
