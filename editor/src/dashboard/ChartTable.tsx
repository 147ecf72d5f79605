/** What names a chart and heads its table; every chart takes these. */
export interface ChartText {
  /** What the chart shows, e.g. "Answers by rating"; names the chart and its table. */
  title: string;
  /** Header of the label column of the accessible table, e.g. "Rating". */
  labelHeader: string;
  /** Header of the value column, e.g. "Answers". */
  valueHeader: string;
}

/** The figures of a chart as a table for screen readers: the chart's text alternative. */
export function ChartTable({
  title,
  labelHeader,
  valueHeader,
  rows,
}: ChartText & { rows: readonly { label: string; value: string | number }[] }) {
  return (
    <table className="cf-visually-hidden">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{labelHeader}</th>
          <th scope="col">{valueHeader}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
