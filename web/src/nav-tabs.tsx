import { Box, InlineStack, Text } from '@shopify/polaris';
import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface NavTab {
  id: string;
  content: string;
}

/** Pixels left beside a tab scrolled into view, so the next one peeks out. */
const VIEW_MARGIN = 16;

const KEYS: Record<string, (at: number, count: number) => number> = {
  ArrowRight: (at, count) => (at + 1) % count,
  ArrowLeft: (at, count) => (at - 1 + count) % count,
  Home: () => 0,
  End: (_at, count) => count - 1,
};

/** Arrow keys, Home and End move the focus along the tabs; Enter or Space then opens one (WAI-ARIA tabs). */
function moveFocus(event: KeyboardEvent<HTMLUListElement>): void {
  const key = KEYS[event.key];
  const tabs = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const at = tabs.findIndex((tab) => tab === document.activeElement);
  if (!key || at < 0) return;
  event.preventDefault();
  tabs[key(at, tabs.length)]!.focus();
}

/**
 * The admin's page tabs, in Polaris Tabs' markup and classes (their look is Polaris's style sheet):
 * Polaris's Tabs component is made for an index table's saved views and ships their rename,
 * duplicate and create-view modals and an overflow popover, about 35 KB gzipped with what they pull
 * in, none of which a row of page links needs. On a phone the row scrolls sideways, as Polaris's does,
 * and brings the selected tab into view.
 * `onIntent` fires when the merchant points at or focuses a tab, before the click.
 */
export function NavTabs({
  tabs,
  selected,
  onSelect,
  onIntent,
}: {
  tabs: readonly NavTab[];
  selected: number;
  onSelect(index: number): void;
  onIntent(id: string): void;
}) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const tab = list.current?.querySelector('[aria-selected="true"]');
    const row = list.current?.closest('.Polaris-Tabs__Wrapper');
    if (!tab || !row) return;
    const [shown, visible] = [tab.getBoundingClientRect(), row.getBoundingClientRect()];
    if (shown.right > visible.right) row.scrollLeft += shown.right - visible.right + VIEW_MARGIN;
    else if (shown.left < visible.left) row.scrollLeft -= visible.left - shown.left + VIEW_MARGIN;
  }, [selected]);
  return (
    <div className="Polaris-Tabs__Outer">
      <Box padding={{ md: '200' }}>
        <div className="Polaris-Tabs__Wrapper">
          <div className="Polaris-Tabs__ButtonWrapper">
            <ul ref={list} className="Polaris-Tabs" role="tablist" onKeyDown={moveFocus}>
              {tabs.map((tab, index) => (
                <li key={tab.id} className="Polaris-Tabs__TabContainer" role="presentation">
                  <button
                    id={tab.id}
                    className={index === selected ? 'Polaris-Tabs__Tab Polaris-Tabs__Tab--active' : 'Polaris-Tabs__Tab'}
                    role="tab"
                    type="button"
                    tabIndex={index === selected ? 0 : -1}
                    aria-selected={index === selected}
                    onClick={() => onSelect(index)}
                    onPointerEnter={() => onIntent(tab.id)}
                    onFocus={() => onIntent(tab.id)}
                  >
                    <InlineStack gap="200" align="center" blockAlign="center" wrap={false}>
                      <Text as="span" variant="bodySm" fontWeight="medium">
                        {tab.content}
                      </Text>
                    </InlineStack>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </Box>
    </div>
  );
}
