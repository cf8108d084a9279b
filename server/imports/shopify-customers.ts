import type { AdminGraphql } from '../shopify/admin-graphql.js';
import { CUSTOMERS_BY_EMAIL } from '../shopify/operations.js';

/** The answer to CUSTOMERS_BY_EMAIL, for rows that name a customer the app has not seen (devstore/admin-customer-search.ts answers it). */
export interface CustomersByEmailData {
  customers: { nodes: Array<{ id: string; defaultEmailAddress: { emailAddress: string | null } | null }> };
}

/** Addresses per query: 25 quoted terms stay well inside Shopify's search length and a page of 50 results. */
export const EMAILS_PER_QUERY = 25;

export function emailSearchQuery(emails: string[]): string {
  return emails.map((email) => `email:"${email.replace(/["\\]/g, '')}"`).join(' OR ');
}

export type EmailLookup = (shop: string, emails: string[]) => Promise<Map<string, string>>;

/** Customer ids (digits) by lowercased email, in batches; an address Shopify does not know is absent. */
export function shopifyEmailLookup(admin: AdminGraphql): EmailLookup {
  return async (shop, emails) => {
    const found = new Map<string, string>();
    for (let start = 0; start < emails.length; start += EMAILS_PER_QUERY) {
      const batch = emails.slice(start, start + EMAILS_PER_QUERY);
      const data = await admin<CustomersByEmailData>(
        shop,
        CUSTOMERS_BY_EMAIL,
        { query: emailSearchQuery(batch), first: batch.length * 2 },
        2 + batch.length * 2,
      );
      const wanted = new Set(batch);
      for (const node of data.customers.nodes) {
        const email = node.defaultEmailAddress?.emailAddress?.toLowerCase();
        const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(node.id)?.[1];
        if (email && id && wanted.has(email) && !found.has(email)) found.set(email, id);
      }
    }
    return found;
  };
}
