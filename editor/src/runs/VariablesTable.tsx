import '../shared/ui.css';

/** The run's variables as `$path` / value rows, nested objects flattened to dotted paths. */
export function VariablesTable({ variables }: { variables: Record<string, unknown> }) {
  const rows = flatten(variables);
  if (rows.length === 0) return <p className="cf-muted">No variables yet.</p>;
  return (
    <table className="cf-table" data-testid="run-variables">
      <thead>
        <tr>
          <th scope="col">Variable</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([path, value]) => (
          <tr key={path}>
            <th scope="row" className="cf-mono" style={{ fontWeight: 500, color: 'inherit' }}>
              ${path}
            </th>
            <td className="cf-mono" style={{ wordBreak: 'break-word' }}>
              {value}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const maxDepth = 4;

/** `{ contact: { name: 'Ana' } }` → `[['contact.name', 'Ana']]`; arrays and deep values as JSON. */
export function flatten(value: Record<string, unknown>, prefix = '', depth = 0): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const [name, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isPlainObject(child) && depth < maxDepth && Object.keys(child).length > 0)
      rows.push(...flatten(child, path, depth + 1));
    else rows.push([path, display(child)]);
  }
  return rows;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON, so a text "4" and a number 4 look different: templates keep the type. */
function display(value: unknown): string {
  return JSON.stringify(value) ?? '';
}
