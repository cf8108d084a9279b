/** The Admin GraphQL operations Tally uses; the devstore implements exactly these. */

export interface UserError {
  field: string[] | null;
  code: string | null;
  message: string;
}

export const SHOP_QUERY = `query Shop { shop { name myshopifyDomain currencyCode ianaTimezone plan { shopifyPlus } } }`;
export interface ShopQueryData {
  shop: { name: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string; plan: { shopifyPlus: boolean } };
}

export const DISCOUNT_CODE_BASIC_CREATE = `mutation DiscountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeBasicCreateData {
  discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

export const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `mutation DiscountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
export interface DiscountCodeFreeShippingCreateData {
  discountCodeFreeShippingCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] };
}

export const STORE_CREDIT_ACCOUNT_CREDIT = `mutation StoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { amount { amount currencyCode } account { id balance { amount currencyCode } } }
    userErrors { field code message }
  }
}`;
export interface StoreCreditAccountCreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: { amount: { amount: string; currencyCode: string }; account: { id: string; balance: { amount: string; currencyCode: string } } } | null;
    userErrors: UserError[];
  };
}

export const METAFIELDS_SET = `mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { namespace key value }
    userErrors { field code message }
  }
}`;
export interface MetafieldsSetData {
  metafieldsSet: { metafields: Array<{ namespace: string; key: string; value: string }> | null; userErrors: UserError[] };
}

/** Tags and collections of the products in an order, for earning multipliers (webhooks carry neither). */
export const PRODUCTS_FOR_MULTIPLIERS = `query ProductsForMultipliers($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Product { id tags collections(first: 50) { nodes { id } } } }
}`;
export interface ProductsForMultipliersData {
  nodes: Array<{ id: string; tags: string[]; collections: { nodes: Array<{ id: string }> } } | null>;
}

/** The app's installation on the shop: owner of the app-data metafields the theme extension reads as `app.metafields`. */
export const CURRENT_APP_INSTALLATION = `query CurrentAppInstallation { currentAppInstallation { id } }`;
export interface CurrentAppInstallationData {
  currentAppInstallation: { id: string };
}
