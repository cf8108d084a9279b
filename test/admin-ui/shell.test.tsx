import { AppProvider, Card, Page } from '@shopify/polaris';
import polarisEn from '@shopify/polaris/locales/en.json' with { type: 'json' };
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PlainPage } from '../../web/src/plain-page.js';

const html = (page: ReactNode) => renderToStaticMarkup(<AppProvider i18n={polarisEn}>{page}</AppProvider>);
const back = { content: 'Customers', onAction: () => undefined };

describe('the admin’s plain page header is Polaris’s Page header, without its action menus', () => {
  it.each([
    ['a short title', { title: 'Home' }],
    ['a title past 20 characters', { title: 'Imports and integrations' }],
    ['a title of 34 characters', { title: 'A title of exactly thirty-four chr' }],
    ['a long title', { title: 'A title well past thirty-four characters long' }],
    ['a subtitle', { title: 'Imports and integrations', subtitle: 'Switch from another app, credit past orders.' }],
    ['a back button', { title: 'Customer 7001001', backAction: back }],
  ])('renders what Polaris renders for %s', (_case, props) => {
    const children = <Card>Content</Card>;
    expect(html(<PlainPage {...props}>{children}</PlainPage>)).toBe(html(<Page {...props}>{children}</Page>));
  });
});
