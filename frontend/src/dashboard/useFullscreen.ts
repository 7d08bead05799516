/**
 * The Fullscreen API for the wall screen: whether the browser offers it, whether the page is
 * full screen now (also when left with Escape), and a toggle.
 */
import { useEffect, useState } from 'react';

export function useFullscreen() {
  const supported = typeof document !== 'undefined' && document.fullscreenEnabled === true && typeof document.documentElement.requestFullscreen === 'function';
  const [active, setActive] = useState(() => typeof document !== 'undefined' && !!document.fullscreenElement);
  useEffect(() => {
    const update = () => setActive(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  const toggle = () => {
    // Refused (no user gesture, a policy): the page simply stays as it is.
    const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
    void done.catch(() => undefined);
  };
  return { supported, active, toggle };
}
