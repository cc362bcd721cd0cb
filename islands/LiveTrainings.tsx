/**
 * Trainings started from the command line (`deno task train`) in this dashboard's runs
 * folder, watched live: their live files (core/jobs/live.ts) read through GET /api/live
 * every two seconds, each shown as the Train page shows its own.
 */
import { useEffect, useState } from "preact/hooks";
import type { LiveTrainingView } from "../components/props.ts";
import TrainingStatus from "./TrainingStatus.tsx";

export default function LiveTrainings(props: { trainings: LiveTrainingView[] }) {
  const [trainings, setTrainings] = useState(props.trainings);
  // trainings seen here that have ended since: their last word, with a link to the run they saved
  const [ended, setEnded] = useState<LiveTrainingView[]>([]);
  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch("/api/live");
        if (response.ok && !stopped) {
          const now: LiveTrainingView[] = (await response.json()).trainings;
          setTrainings((before) => {
            const gone = before.filter((old) => !now.some((training) => training.pid === old.pid));
            if (gone.length > 0) setEnded((earlier) => [...gone, ...earlier].slice(0, 5));
            return now;
          });
        }
      } catch {
        // the server is away for a moment: keep what is shown, try again
      }
      if (!stopped) timer = setTimeout(poll, 2000);
    };
    let timer = setTimeout(poll, 2000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  const endedNote = ended.map((training) => (
    <p key={`ended-${training.pid}`} class="muted">
      {training.title} has ended{training.status.saved
        ? (
          <>
            : saved as <a href={`/runs/${training.status.saved.run}`}>{training.status.saved.run}</a>
          </>
        )
        : " before it saved an epoch"}.
    </p>
  ));
  if (trainings.length === 0) {
    return (
      <div>
        {endedNote}
        <p class="muted">
          {ended.length > 0 ? "None running now." : "None now."} A <code>deno task train</code>{" "}
          saving into this dashboard's runs folder shows here while it trains.
        </p>
      </div>
    );
  }
  return (
    <div>
      {endedNote}
      {trainings.map((training) => (
        <section key={training.pid} class="live" aria-label={`training ${training.title}`}>
          <h3>{training.title}</h3>
          <p class="muted">
            process {training.pid}, started {training.startedAt.slice(11, 19)} UTC
            {training.status.saved && (
              <>
                {" "}— saved so far:{" "}
                <a href={`/runs/${training.status.saved.run}`}>{training.status.saved.run}</a>{" "}
                ({training.status.saved.epochs} epoch{training.status.saved.epochs === 1 ? "" : "s"})
              </>
            )}
          </p>
          <TrainingStatus status={training.status} />
        </section>
      ))}
    </div>
  );
}
