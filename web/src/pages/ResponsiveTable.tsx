import { BlockStack, Box, DataTable, InlineStack, Text, useBreakpoints, type DataTableProps } from '@shopify/polaris';
import { useEffect, useRef, type ReactNode } from 'react';

interface ResponsiveTableProps {
  /** What the table lists, for screen readers (the scrollable region's name). */
  label: string;
  headings: string[];
  rows: ReactNode[][];
  columnContentTypes: DataTableProps['columnContentTypes'];
}

/**
 * A table that a phone can read: on a wide screen Polaris's DataTable, its sideways-scrolling
 * region focusable and named so a keyboard can scroll it; on a phone each row becomes a small card
 * of "heading: value" lines, so no column hides behind a pager.
 */
export function ResponsiveTable({ label, headings, rows, columnContentTypes }: ResponsiveTableProps) {
  const { mdUp } = useBreakpoints();
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const region of wrapper.current?.querySelectorAll<HTMLElement>('.Polaris-DataTable__ScrollContainer') ?? []) {
      region.tabIndex = 0;
      region.setAttribute('role', 'region');
      region.setAttribute('aria-label', label);
    }
  });
  if (mdUp) {
    return (
      <div ref={wrapper}>
        <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} />
      </div>
    );
  }
  return (
    <ul aria-label={label} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {rows.map((row, index) => (
        <li key={index}>
          <Box paddingBlock="200" borderBlockEndWidth="025" borderColor="border">
            <BlockStack gap="100">
              {row.map((cell, column) =>
                cell === '' || cell === null || cell === undefined ? null : (
                  <InlineStack key={column} gap="200" wrap={false} blockAlign="start">
                    <Box minWidth="35%">
                      <Text as="span" tone="subdued" variant="bodySm">
                        {headings[column]}
                      </Text>
                    </Box>
                    <Box>
                      <Text as="span" breakWord>
                        {cell}
                      </Text>
                    </Box>
                  </InlineStack>
                ),
              )}
            </BlockStack>
          </Box>
        </li>
      ))}
    </ul>
  );
}
