import { BlockStack, Box, Button, ColorPicker, hexToRgb, InlineStack, Popover, rgbToHsb, hsbToHex, Text, TextField } from '@shopify/polaris';
import { createContext, useContext, useEffect, useState } from 'react';
import { numericId, pickResource, type PickedResource, type ResourceType } from '../app-bridge.js';
import { fieldId } from '../errors.js';
import { t } from '../i18n.js';

/** The form's field errors (already in people's words), keyed by program path. */
export const FieldErrors = createContext<Record<string, string>>({});

function useField(path: string | undefined, error: string | undefined): { id: string | undefined; error: string | undefined } {
  const errors = useContext(FieldErrors);
  return { id: path ? fieldId(path) : undefined, error: error ?? (path ? errors[path] : undefined) };
}

interface Common {
  label: string;
  /** The program path of the value, which names its error and the id the error banner focuses. */
  path?: string;
  error?: string;
  helpText?: string;
}

export function TextInput(props: Common & { value: string; onChange(value: string): void; multiline?: number }) {
  const field = useField(props.path, props.error);
  return (
    <TextField
      id={field.id}
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      error={field.error}
      helpText={props.helpText}
      multiline={props.multiline}
      autoComplete="off"
    />
  );
}

const format = (value: number) => (Number.isFinite(value) ? String(value) : '');

/**
 * A number bound to the draft. An `integer` field refuses fractions itself: "2.5" stays on screen
 * with an error beside it and the draft gets NaN, so nothing fractional is ever sent.
 */
export function NumberField(
  props: Common & { value: number; onChange(value: number): void; integer?: boolean; step?: number; suffix?: string; prefix?: string },
) {
  const field = useField(props.path, props.error);
  const [text, setText] = useState(format(props.value));
  useEffect(() => {
    setText((current) => {
      const shown = current.trim() === '' ? Number.NaN : Number(current);
      return Object.is(shown, props.value) || (Number.isNaN(shown) && Number.isNaN(props.value)) ? current : format(props.value);
    });
  }, [props.value]);
  const number = text.trim() === '' ? Number.NaN : Number(text);
  const fractional = props.integer === true && text.trim() !== '' && !Number.isInteger(number);
  return (
    <TextField
      id={field.id}
      label={props.label}
      type="number"
      value={text}
      onChange={(next) => {
        setText(next);
        const parsed = next.trim() === '' ? Number.NaN : Number(next);
        props.onChange(props.integer && !Number.isInteger(parsed) ? Number.NaN : parsed);
      }}
      error={fractional ? t('error.wholeNumber') : field.error}
      step={props.step ?? 1}
      suffix={props.suffix}
      prefix={props.prefix}
      helpText={props.helpText}
      autoComplete="off"
    />
  );
}

/** Minor units shown and edited in the currency's major units (5.00 for 500). */
export function MoneyField(props: Common & { minor: number; unit: number; onChange(minor: number): void; currency: string }) {
  return (
    <NumberField
      label={props.label}
      path={props.path}
      error={props.error}
      helpText={props.helpText}
      value={props.minor / props.unit}
      step={1 / props.unit}
      suffix={props.currency}
      onChange={(value) => props.onChange(Math.round(value * props.unit))}
    />
  );
}

const GID_TYPE: Record<ResourceType, string> = { product: 'Product', variant: 'ProductVariant', collection: 'Collection' };

/**
 * A product, variant or collection chosen with App Bridge's resource picker; the program keeps
 * Shopify's numeric id. The picked title is shown (and the price handed on, for the economics).
 */
export function ResourceField(
  props: Common & { type: ResourceType; value: string; title?: string; onPick(id: string, picked: PickedResource): void },
) {
  const field = useField(props.path, props.error);
  const [title, setTitle] = useState<string | undefined>(props.title);
  const [failure, setFailure] = useState<string | null>(null);
  const open = async () => {
    try {
      const picked = await pickResource(props.type, props.value ? `gid://shopify/${GID_TYPE[props.type]}/${props.value}` : undefined);
      if (!picked) return;
      setTitle(picked.displayName ?? picked.title);
      setFailure(null);
      props.onPick(numericId(picked.id), picked);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  const shown = props.value === '' ? t('picker.none') : (title ?? t(`picker.chosen.${props.type}`, { id: props.value }));
  const error = failure ?? field.error;
  return (
    <div id={field.id}>
      <BlockStack gap="100">
        <Text as="span">{props.label}</Text>
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          <Box minWidth="0">
            <Text as="span" tone={props.value === '' ? 'subdued' : undefined} truncate>
              {shown}
            </Text>
          </Box>
          <Button onClick={() => void open()} accessibilityLabel={`${t(`picker.choose.${props.type}`)}: ${props.label}`}>
            {props.value === '' ? t(`picker.choose.${props.type}`) : t('picker.change')}
          </Button>
        </InlineStack>
        {error && (
          <Text as="span" tone="critical">
            {error}
          </Text>
        )}
        {props.helpText && (
          <Text as="span" tone="subdued" variant="bodySm">
            {props.helpText}
          </Text>
        )}
      </BlockStack>
    </div>
  );
}

/**
 * A day, typed or chosen on the browser's own calendar (a native date field, so it can be edited
 * from the keyboard as well as picked); stored as an ISO instant at the start (or end) of that day, UTC.
 */
export function DateField(props: Common & { value: string; endOfDay?: boolean; onChange(iso: string): void }) {
  const field = useField(props.path, props.error);
  const current = new Date(props.value);
  const valid = !Number.isNaN(current.getTime());
  return (
    <div id={field.id}>
      <TextField
        label={props.label}
        type="date"
        value={valid ? current.toISOString().slice(0, 10) : ''}
        onChange={(day) => {
          const start = Date.parse(`${day}T00:00:00Z`);
          if (!Number.isNaN(start)) props.onChange(new Date(props.endOfDay ? start + 86_400_000 - 1_000 : start).toISOString());
        }}
        error={field.error}
        helpText={props.helpText}
        autoComplete="off"
      />
    </div>
  );
}

/** A colour chosen on Polaris' colour picker (the hex value stays editable for exact brand colours). */
export function ColorField(props: Common & { value: string; onChange(hex: string): void }) {
  const field = useField(props.path, props.error);
  const [open, setOpen] = useState(false);
  const valid = /^#[0-9a-fA-F]{6}$/.test(props.value);
  const hsb = rgbToHsb(hexToRgb(valid ? props.value : '#000000'));
  const swatch = (
    <button
      type="button"
      onClick={() => setOpen((shown) => !shown)}
      aria-label={t('picker.colour', { label: props.label })}
      style={{
        width: 28,
        height: 28,
        borderRadius: 6,
        border: '1px solid #8a8a8a',
        background: valid ? props.value : 'transparent',
        cursor: 'pointer',
      }}
    />
  );
  return (
    <div id={field.id}>
      <Popover
        active={open}
        onClose={() => setOpen(false)}
        preferredAlignment="left"
        activator={
          <TextField
            label={props.label}
            value={props.value}
            onChange={props.onChange}
            connectedLeft={swatch}
            error={field.error}
            autoComplete="off"
          />
        }
      >
        <Box padding="300">
          <ColorPicker color={hsb} onChange={(color) => props.onChange(hsbToHex(color))} />
        </Box>
      </Popover>
    </div>
  );
}
