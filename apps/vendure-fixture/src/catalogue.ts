import { createRequire } from 'node:module';
import type { INestApplicationContext } from '@nestjs/common';
import type { InitialData } from '@vendure/core';
import { importProductsFromCsv, populateCollections, populateInitialData } from '@vendure/core/cli/index.js';

const require = createRequire(import.meta.url);

/**
 * Vendure's own sample store (`@vendure/create/assets`: 54 products, zones, taxes, two shipping methods), read
 * from the installed package, so nothing comes from the internet. The product images are not imported: the
 * fixture runs without an asset server, so Vendure reports each image as `no-asset-storage-strategy` and
 * imports the product without it (the import reports the missing image files, which are ignored here).
 */
export async function populateSampleCatalogue(app: INestApplicationContext): Promise<{ products: number }> {
  const initialData = require('@vendure/create/assets/initial-data.json') as InitialData;
  const data: InitialData = {
    ...initialData,
    // Settle payments at checkout, as a card payment would; the sample store authorises only.
    paymentMethods: [
      {
        name: 'Standard Payment',
        handler: {
          code: 'dummy-payment-handler',
          arguments: [{ name: 'automaticSettle', value: 'true' }],
        },
      },
    ],
  };
  await populateInitialData(app, data);
  const result = await importProductsFromCsv(
    app,
    require.resolve('@vendure/create/assets/products.csv'),
    data.defaultLanguage,
  );
  const errors = (result.errors ?? []).filter(
    (e) => !/no-asset-storage-strategy|\.jpg" does not exist/.test(e),
  );
  if (errors.length) throw new Error(`the sample catalogue did not import: ${errors.join('; ')}`);
  await populateCollections(app, data);
  return { products: result.imported };
}
