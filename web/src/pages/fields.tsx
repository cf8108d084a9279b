import { TextField } from '@shopify/polaris';

/** A whole-number or decimal field bound to a number, with the server's error for its path. */
export function NumberField(props: { label: string; value: number; onChange(value: number): void; error?: string; step?: number; suffix?: string; prefix?: string; helpText?: string }) {
  return (
    <TextField
      label={props.label}
      type="number"
      value={Number.isFinite(props.value) ? String(props.value) : ''}
      onChange={(text) => props.onChange(text === '' ? Number.NaN : Number(text))}
      error={props.error}
      step={props.step ?? 1}
      suffix={props.suffix}
      prefix={props.prefix}
      helpText={props.helpText}
      autoComplete="off"
    />
  );
}

/** Minor units shown and edited in the currency's major units (5.00 for 500). */
export function MoneyField(props: { label: string; minor: number; unit: number; onChange(minor: number): void; error?: string; currency: string }) {
  return (
    <NumberField
      label={props.label}
      value={props.minor / props.unit}
      step={1 / props.unit}
      suffix={props.currency}
      onChange={(value) => props.onChange(Math.round(value * props.unit))}
      error={props.error}
    />
  );
}
