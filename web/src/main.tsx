import '@shopify/polaris/build/esm/styles.css';
import { AppProvider } from '@shopify/polaris';
import polarisEn from '@shopify/polaris/locales/en.json' with { type: 'json' };
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider i18n={polarisEn}>
      <App />
    </AppProvider>
  </StrictMode>,
);
