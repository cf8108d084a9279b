import { BlockStack, InlineStack, Text } from '@shopify/polaris';

export interface ChartSeries {
  label: string;
  color: string;
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 200;
const AXIS = 48;

/** Grouped bars in plain SVG: a handful of series over a few dozen periods needs no chart library. */
export function BarChart({
  title,
  labels,
  series,
  format,
}: {
  title: string;
  labels: string[];
  series: ChartSeries[];
  format(value: number): string;
}) {
  const max = Math.max(1, ...series.flatMap((line) => line.values));
  const group = (WIDTH - AXIS) / Math.max(1, labels.length);
  const bar = Math.max(1, (group * 0.8) / series.length);
  const y = (value: number) => HEIGHT - (Math.max(0, value) / max) * (HEIGHT - 10);
  const every = Math.ceil(labels.length / 8);
  return (
    <BlockStack gap="200">
      <Text as="h2" variant="headingSm">
        {title}
      </Text>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`} role="img" aria-label={title} style={{ width: '100%', height: 'auto' }}>
        {[0, 0.5, 1].map((share) => (
          <g key={share}>
            <line x1={AXIS} x2={WIDTH} y1={y(max * share)} y2={y(max * share)} stroke="#e3e3e3" />
            <text x={AXIS - 4} y={y(max * share) + 4} fontSize="10" textAnchor="end" fill="#616161">
              {format(Math.round(max * share))}
            </text>
          </g>
        ))}
        {labels.map((label, index) => (
          <g key={label}>
            {series.map((line, position) => (
              <rect
                key={line.label}
                x={AXIS + index * group + group * 0.1 + position * bar}
                y={y(line.values[index] ?? 0)}
                width={bar}
                height={HEIGHT - y(line.values[index] ?? 0)}
                fill={line.color}
              >
                <title>{`${label} · ${line.label}: ${format(line.values[index] ?? 0)}`}</title>
              </rect>
            ))}
            {index % every === 0 && (
              <text x={AXIS + index * group + group / 2} y={HEIGHT + 14} fontSize="10" textAnchor="middle" fill="#616161">
                {label.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <InlineStack gap="400">
        {series.map((line) => (
          <InlineStack key={line.label} gap="100" blockAlign="center">
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={line.color} />
            </svg>
            <Text as="span" variant="bodySm">
              {line.label}
            </Text>
          </InlineStack>
        ))}
      </InlineStack>
    </BlockStack>
  );
}
