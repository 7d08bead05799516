import { createContext, useContext } from 'react';
import type { WebConfig } from './config.ts';

/** The runtime settings (`/config.json`) of the running app. */
export const ConfigContext = createContext<WebConfig | null>(null);

export function useConfig(): WebConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useConfig needs a ConfigContext provider');
  return config;
}
