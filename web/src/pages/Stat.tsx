import { BlockStack, Text } from '@shopify/polaris';
import type { ReactNode } from 'react';

/** A figure with its label above it: headline size on the analytics page, body size in side panels. */
export function Stat({ label, value, size = 'large', children }: { label: string; value: ReactNode; size?: 'large' | 'body'; children?: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="p" tone="subdued" variant="bodySm">
        {label}
      </Text>
      {size === 'large' ? (
        <Text as="p" variant="headingLg">
          {value}
        </Text>
      ) : (
        <Text as="p" fontWeight="semibold">
          {value}
        </Text>
      )}
      {children}
    </BlockStack>
  );
}
