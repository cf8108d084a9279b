import { customerPayload } from './payloads.js';
import { newId, type DevCustomer, type DevShop } from './state.js';
import { newEvent, type WebhookEvent } from './webhooks.js';

interface CustomerInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  tags?: string[] | null;
}

/**
 * `customerCreate` as Shopify answers it: a customer needs a name, an email or a phone; an email
 * already in use is refused ("Email has already been taken"); a new customer is announced with
 * customers/create, as every new customer is, whoever created it.
 */
export function customerCreateRootValue(shop: DevShop, announce: (event: WebhookEvent) => void, now: Date): Record<string, unknown> {
  return {
    customerCreate: ({ input }: { input: CustomerInput }) => {
      const email = input.email?.trim() ?? '';
      const firstName = input.firstName?.trim() ?? '';
      const lastName = input.lastName?.trim() ?? '';
      if (!email && !firstName && !lastName && !input.phone)
        return { customer: null, userErrors: [{ field: null, message: 'A name, phone number, or email address must be present' }] };
      if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        return { customer: null, userErrors: [{ field: ['email'], message: 'Email is invalid' }] };
      if (email && [...shop.customers.values()].some((customer) => customer.email.toLowerCase() === email.toLowerCase()))
        return { customer: null, userErrors: [{ field: ['email'], message: 'Email has already been taken' }] };
      const customer: DevCustomer = { id: newId(), email, firstName, lastName, phone: input.phone ?? null, tags: input.tags ?? [] };
      shop.customers.set(customer.id, customer);
      announce(newEvent(shop.domain, 'customers/create', customerPayload(customer), now));
      return {
        customer: {
          id: `gid://shopify/Customer/${customer.id}`,
          firstName: firstName || null,
          lastName: lastName || null,
          defaultEmailAddress: email ? { emailAddress: email } : null,
        },
        userErrors: [],
      };
    },
  };
}
