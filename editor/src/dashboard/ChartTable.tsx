/** The figures of a chart as a table for screen readers: the chart's text alternative. */
export function ChartTable({
  title,
  labelHeader,
  valueHeader,
  rows,
}: {
  title: string;
  labelHeader: string;
  valueHeader: string;
  rows: readonly { label: string; value: string | number }[];
}) {
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
