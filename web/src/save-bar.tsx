import { createElement, useEffect, useRef } from 'react';
import { showSaveBar } from './app-bridge.js';
import { t } from './i18n.js';

/**
 * App Bridge's contextual save bar (`ui-save-bar`): shown in the admin's top bar while the form
 * has unsaved edits; its Save and Discard call the form's own. While it shows, App Bridge's leave
 * confirmation stands between the merchant and any other page.
 */
export function SaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave(): void;
  onDiscard(): void;
}) {
  const handlers = useRef({ onSave, onDiscard });
  handlers.current = { onSave, onDiscard };
  useEffect(() => {
    showSaveBar(id, dirty);
  }, [id, dirty]);
  useEffect(() => () => showSaveBar(id, false), [id]);
  return createElement(
    'ui-save-bar',
    { id },
    createElement('button', { variant: 'primary', loading: saving ? '' : undefined, onClick: () => handlers.current.onSave() }, t('form.save')),
    createElement('button', { onClick: () => handlers.current.onDiscard() }, t('form.discard')),
  );
}
