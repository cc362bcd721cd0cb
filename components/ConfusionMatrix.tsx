/** The confusion matrix as a heat map: rows are labels, columns the network's answers; per-digit accuracy. */
export function ConfusionMatrix(props: { confusion: number[][]; perClassAccuracy: (number | null)[] }) {
  const largestMistake = Math.max(
    1,
    ...props.confusion.flatMap((row, label) => row.filter((_, a) => a !== label)),
  );
  const largest = Math.max(1, ...props.confusion.flat());
  return (
    <div class="scroll">
      <table class="confusion">
        <thead>
          <tr>
            <th>label \ answer</th>
            {props.confusion.map((_, answer) => <th key={answer}>{answer}</th>)}
            <th>accuracy</th>
          </tr>
        </thead>
        <tbody>
          {props.confusion.map((row, label) => (
            <tr>
              <th>{label}</th>
              {row.map((count, answer) => {
                // the diagonal in green by its share of the largest count, mistakes in red by the largest mistake
                const strength = answer === label ? count / largest : count / largestMistake;
                const colour = answer === label
                  ? `rgba(22,163,74,${0.15 + 0.6 * strength})`
                  : `rgba(220,38,38,${0.85 * strength})`;
                return (
                  <td
                    style={{ background: count ? colour : "transparent" }}
                    title={`${label} read as ${answer}: ${count}`}
                  >
                    {count}
                  </td>
                );
              })}
              <td>
                {props.perClassAccuracy[label] === null ? "—" : props.perClassAccuracy[label]!.toFixed(4)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
