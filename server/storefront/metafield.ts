import type { AppContext } from '../platform/context.js';
import { currencyDecimals } from '../platform/money.js';
import type { Program } from '../program/index.js';
import { adminClientFor } from '../shops/index.js';
import { CURRENT_APP_INSTALLATION, METAFIELDS_SET, type CurrentAppInstallationData, type MetafieldsSetData } from '../shopify/operations.js';

/**
 * Publishes what the theme needs to show "earn N points" without a request per page view: the
 * earn rate, the points' name, the currency unit and the launcher's look (set in the admin), as the
 * app-data metafield `tally.program`
 * (the theme extension reads it as `app.metafields.tally.program`).
 */
export async function publishProgramToStorefront(ctx: AppContext, shop: string, program: Program): Promise<void> {
  const admin = adminClientFor(ctx);
  const installation = await admin<CurrentAppInstallationData>(shop, CURRENT_APP_INSTALLATION, {}, 1);
  const earnsPoints = !(program.earning.cashBack.enabled && program.earning.cashBack.insteadOfPoints);
  const value = {
    enabled: program.enabled && earnsPoints,
    pointsPerCurrencyUnit: program.earning.pointsPerCurrencyUnit,
    unit: 10 ** currencyDecimals(program.currency),
    pointsName: program.pointsName,
    widget: {
      primaryColor: program.widget.primaryColor,
      textColor: program.widget.textColor,
      position: program.widget.position,
      languages: program.widget.languages,
    },
    version: program.version,
  };
  const data = await admin<MetafieldsSetData>(shop, METAFIELDS_SET, {
    metafields: [{ ownerId: installation.currentAppInstallation.id, namespace: 'tally', key: 'program', type: 'json', value: JSON.stringify(value) }],
  });
  const errors = data.metafieldsSet.userErrors;
  if (errors.length > 0) throw new Error(`metafieldsSet refused: ${errors.map((error) => error.message).join('; ')}`);
}

/** Publishing is best effort: the storefront keeps the previous figures and the next save retries. */
export async function tryPublishProgram(ctx: AppContext, shop: string, program: Program): Promise<boolean> {
  try {
    await publishProgramToStorefront(ctx, shop, program);
    return true;
  } catch (error) {
    ctx.logger.warn({ shop, err: error }, 'could not publish the program to the storefront metafield');
    return false;
  }
}
