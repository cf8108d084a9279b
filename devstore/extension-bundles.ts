import { Router } from 'express';

/**
 * Serves UI extension modules bundled as Shopify CLI builds them (esbuild, Preact's JSX), each
 * built once per process: `GET <prefix>/<target>.js` for the targets in `modules` (target → entry
 * file). esbuild is a dev dependency, as the devstore is dev-only.
 */
export function extensionBundleRouter(prefix: string, modules: Readonly<Record<string, string>>): Router {
  const router = Router();
  const bundles = new Map<string, Promise<string>>();
  router.get(`${prefix}/:target.js`, async (req, res) => {
    const target = String(req.params.target);
    const entry = Object.hasOwn(modules, target) ? modules[target] : undefined;
    if (!entry) return void res.status(404).send('No such extension target');
    let bundle = bundles.get(target);
    if (!bundle) {
      bundle = import('esbuild').then(async ({ build }) => {
        const result = await build({
          entryPoints: [entry],
          bundle: true,
          format: 'esm',
          platform: 'browser',
          target: 'es2020',
          jsx: 'automatic',
          write: false,
          logLevel: 'silent',
        });
        return result.outputFiles[0]!.text;
      });
      bundles.set(target, bundle);
    }
    res
      .type('application/javascript')
      .set('Cache-Control', 'no-cache')
      .send(await bundle);
  });
  return router;
}
