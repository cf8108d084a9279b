// Builds the embedded database launcher (FerretDB on PostgreSQL) ahead of time (CI, Docker images); `npm start` and
// `npm test` also build it on demand.
import { ensureLauncherBuilt } from '../server/platform/database/ferretdb.js';

const build = await ensureLauncherBuilt();
console.log(build.buildMs > 0 ? `built ${build.binary} in ${(build.buildMs / 1000).toFixed(1)} s` : `${build.binary} is up to date`);
