/** The confusion matrix as a heat map: rows are labels, columns the network's answers; per-digit accuracy. */
export function ConfusionMatrix(
  props: { confusion: number[][]; perClassAccuracy: (number | null)[]; run?: string },
) {
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
                // right answers in blue, mistakes in red (told apart by more than colour: right ones are bold);
                // white text on the strong shades keeps the contrast at 4.5:1 or more
                const right = answer === label;
                const strength = right ? count / largest : count / largestMistake;
                const alpha = right ? 0.15 + 0.6 * strength : 0.85 * strength;
                const colour = right ? `rgba(30,64,175,${alpha})` : `rgba(185,28,28,${alpha})`;
                const text = alpha > 0.45 ? "#fff" : "#111827";
                const cell = count > 0 && props.run
                  ? (
                    <a
                      href={`/runs/${props.run}/confusion/${label}/${answer}`}
                      style={{ color: text }}
                      aria-label={`${count} test images of ${label} read as ${answer}`}
                    >
                      {count}
                    </a>
                  )
                  : count;
                return (
                  <td
                    class={right ? "right" : undefined}
                    style={{ background: count ? colour : "transparent", color: text }}
                    title={`${label} read as ${answer}: ${count}`}
                  >
                    {cell}
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
