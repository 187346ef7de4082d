import { createContext, useContext } from 'react';
import { AppSettings } from '../../constants';

/** The app's jsonData (server URL, default data sources), from the plugin meta. */
export const AppSettingsContext = createContext<AppSettings>({});

export function useAppSettings(): AppSettings {
  return useContext(AppSettingsContext);
}
