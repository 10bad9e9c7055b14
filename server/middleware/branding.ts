import type { NextFunction, Request, Response } from 'express';
import { getSettings, type LibrarySettings, type SettingsDefaults } from '../../surveys/settings.service.js';
import type { Config } from '../config.js';

export function settingsDefaults(config: Config): SettingsDefaults {
  return { libraryName: config.LIBRARY_NAME, kioskIdleSeconds: config.KIOSK_IDLE_SECONDS, kioskLocation: config.KIOSK_LOCATION };
}

/** The logo's address, versioned by its content so a new logo shows at once despite caching. */
export function logoUrl(settings: LibrarySettings): string {
  return settings.logo ? `/branding/logo?v=${settings.logo.hash}` : '';
}

/**
 * The library's saved branding for every page: `libraryName`, `logoUrl` (or ''),
 * `thankYouUrl` and `kioskIdleSeconds` in `res.locals`, over the configuration's defaults in
 * `app.locals`. If the settings cannot be read, pages keep the configuration's values rather
 * than fail (the page's own queries report an unavailable database).
 */
export function branding(config: Config) {
  const defaults = settingsDefaults(config);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let settings: LibrarySettings;
    try {
      settings = await getSettings(defaults);
    } catch (err) {
      req.log?.warn({ err }, 'library settings unavailable; using configuration defaults');
      res.locals.logoUrl = '';
      res.locals.thankYouUrl = '';
      return next();
    }
    res.locals.librarySettings = settings;
    res.locals.libraryName = settings.libraryName;
    res.locals.logoUrl = logoUrl(settings);
    res.locals.thankYouUrl = settings.thankYouUrl;
    res.locals.kioskIdleSeconds = settings.kioskIdleSeconds;
    next();
  };
}
