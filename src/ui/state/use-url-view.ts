/** The page view (tab, chart options) held in the URL hash (replaceState, so switching tabs does not flood history). */
import { useCallback, useState } from 'react';
import { viewFromHash, viewToHash, type PageView } from './view-url';

export function useUrlView(): [PageView, (patch: Partial<PageView>) => void] {
  const [view, setView] = useState<PageView>(() => viewFromHash(window.location.hash));
  const update = useCallback((patch: Partial<PageView>) => {
    setView((current) => {
      const next = { ...current, ...patch };
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${viewToHash(next)}`);
      return next;
    });
  }, []);
  return [view, update];
}
