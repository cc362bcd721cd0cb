/** A chart's numbers as a table, folded away under "The numbers": the text alternative of a chart. */
export function NumbersTable(props: { headers: string[]; rows: (string | number)[][] }) {
  return (
    <details>
      <summary>The numbers</summary>
      <div class="scroll">
        <table>
          <thead>
            <tr>{props.headers.map((header) => <th key={header}>{header}</th>)}</tr>
          </thead>
          <tbody>
            {props.rows.map((row, r) => <tr key={r}>{row.map((cell, c) => <td key={c}>{cell}</td>)}</tr>)}
          </tbody>
        </table>
      </div>
    </details>
  );
}
