import { Router } from 'express';

/** Tally's star on the app's blue, drawn small enough to read at 16 px. */
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1f6feb"/><path fill="#fff" d="M16 5.5l3.1 6.6 7.2.9-5.3 5 1.4 7.1L16 21.6l-6.4 3.5 1.4-7.1-5.3-5 7.2-.9z"/></svg>`;

/**
 * `/favicon.ico` (which browsers ask for on every page of the app and the devstore) and
 * `/favicon.svg`: one SVG, which every current browser accepts under either name.
 */
export function faviconRouter(): Router {
  const router = Router();
  router.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(ICON);
  });
  return router;
}
