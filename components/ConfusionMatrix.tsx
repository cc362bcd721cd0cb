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
                // right answers in blue, mistakes in red (told apart by more than colour: right ones are bold)
                const right = answer === label;
                const strength = right ? count / largest : count / largestMistake;
                const { colour, text } = cellColours(
                  right ? [30, 64, 175] : [185, 28, 28],
                  right ? 0.15 + 0.6 * strength : 0.85 * strength,
                );
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

/** WCAG's relative luminance of an sRGB colour (0–255 each). */
function luminance(rgb: readonly number[]): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * A cell's background (`rgb` at `alpha` over the page's white) and the text colour, black or
 * white, with the higher contrast. One of the two always reaches 4.5:1: black needs a
 * background luminance of at least 0.175, white at most 0.183 (measured by the browser
 * test's audit, which found white on mid shades at 2.3:1 before).
 */
export function cellColours(rgb: readonly number[], alpha: number): { colour: string; text: string } {
  const blended = rgb.map((v) => Math.round(v * alpha + 255 * (1 - alpha)));
  const l = luminance(blended);
  const onBlack = (l + 0.05) / 0.05, onWhite = 1.05 / (l + 0.05);
  return { colour: `rgb(${blended.join(",")})`, text: onBlack >= onWhite ? "#000" : "#fff" };
}
