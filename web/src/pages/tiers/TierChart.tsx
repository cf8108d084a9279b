/** Customers per tier as horizontal bars: a hand-rolled SVG, so the admin bundle gains no chart library. */
export function TierChart({ rows }: { rows: Array<{ id: string; name: string; customers: number }> }) {
  const max = Math.max(1, ...rows.map((row) => row.customers));
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 110;
  const width = 360;
  const height = rows.length * (barHeight + gap);
  return (
    <svg
      role="img"
      aria-label={rows.map((row) => `${row.name}: ${row.customers}`).join(', ')}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
    >
      {rows.map((row, index) => {
        const y = index * (barHeight + gap);
        const barWidth = ((width - labelWidth - 50) * row.customers) / max;
        return (
          <g key={row.id} data-tier={row.id}>
            <text x={0} y={y + barHeight * 0.7} fontSize="13">
              {row.name}
            </text>
            <rect x={labelWidth} y={y} width={Math.max(barWidth, 1)} height={barHeight} rx={4} fill="#1f6feb" />
            <text x={labelWidth + barWidth + 6} y={y + barHeight * 0.7} fontSize="13">
              {row.customers}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
