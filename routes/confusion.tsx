/** One cell of a run's confusion matrix: the test images of one label the network read as one answer. */
import { Layout } from "../components/Layout.tsx";
import { NotFoundError } from "../core/errors.ts";
import type { Dashboard } from "./context.ts";

/** How many images the page shows at most. */
const MOST = 200;

/** What the page shows. */
export interface ConfusionPageData {
  run: string;
  label: number;
  answer: number;
  /** the test records, with the network's confidence in its answer */
  records: { index: number; confidence: number }[];
  total: number;
}

/** The test records of `label` answered `answer` (a NotFoundError for a run or a digit that does not exist). */
export async function load(
  dashboard: Dashboard,
  id: string,
  label: string,
  answer: string,
): Promise<ConfusionPageData> {
  const [l, a] = [Number(label), Number(answer)];
  if (!/^\d$/.test(label) || !/^\d$/.test(answer)) throw new NotFoundError(`no cell ${label}, ${answer}`);
  const scored = await dashboard.scored(id);
  if (scored.pending) throw new NotFoundError(`${id} is being scored on its test set: try again in a moment`);
  if (!scored.test) throw new NotFoundError(`the test set of ${id} cannot be read`);
  const records = [];
  for (let index = 0; index < scored.test.count; index++) {
    if (scored.test.labels[index] === l && scored.score.answers[index] === a) {
      records.push({ index, confidence: scored.score.confidences[index] });
    }
  }
  return { run: id, label: l, answer: a, records: records.slice(0, MOST), total: records.length };
}

export default function ConfusionPage({ run, label, answer, records, total }: ConfusionPageData) {
  return (
    <Layout title={`${label} read as ${answer}`}>
      <p>
        {total} test image{total === 1 ? "" : "s"} of {label} that <a href={`/runs/${run}`}>{run}</a> read as
        {" "}
        {answer}
        {total > records.length ? ` (the first ${records.length} shown)` : ""}; under each, the network's
        output for {answer}.
      </p>
      <div class="gallery">
        {records.map(({ index, confidence }) => (
          <figure key={index}>
            <img src={`/runs/${run}/test/${index}.png`} width={56} height={56} alt={`test record ${index}`} />
            <figcaption>
              #{index} ({confidence.toFixed(2)})
            </figcaption>
          </figure>
        ))}
      </div>
    </Layout>
  );
}
