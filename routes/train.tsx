/** Train: start a training on the server and watch it. The form's fields are the shared settings. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import type { FormField, LiveTrainingView, TrainStatus } from "../components/props.ts";
import LiveTrainings from "../islands/LiveTrainings.tsx";
import { formatSetting, SETTINGS } from "../core/settings.ts";
import type { Setting } from "../core/values.ts";
import TrainForm from "../islands/TrainForm.tsx";
import {
  BEYOND_SETTINGS,
  type Dashboard,
  DASHBOARD_DEFAULTS,
  DASHBOARD_SETTINGS,
  settingLabel,
  shownLiveTrainings,
} from "./context.ts";

/** What the page needs: the training's status now and the form's fields. */
export interface TrainPageData {
  status: TrainStatus;
  fields: FormField[];
  /** trainings from the command line, running now */
  live: LiveTrainingView[];
}

/** The form's fields from the settings the dashboard offers, with the dashboard's defaults. */
export async function load(dashboard: Dashboard): Promise<TrainPageData> {
  const fields = DASHBOARD_SETTINGS.map((key): FormField => {
    const setting = SETTINGS[key] as Setting<unknown>;
    const value = key in DASHBOARD_DEFAULTS ? DASHBOARD_DEFAULTS[key] : setting.default;
    return {
      name: key,
      label: settingLabel(key),
      value: formatSetting(key, value as never),
      ...(setting.choices ? { choices: setting.choices } : {}),
      // the phone's keyboard for the field, from the kind of value
      inputMode: setting.kind === "whole" ? "numeric" : setting.kind === "real" ? "decimal" : "text",
      range: setting.range,
      ...(BEYOND_SETTINGS.includes(key) ? { beyond: true } : {}),
    };
  });
  // beyond the settings: the brain scans after every epoch, and weights to start from (a saved run's)
  const complete = (await dashboard.runs()).flatMap((listing) =>
    "record" in listing && (listing.record.status ?? "complete") === "complete" ? [listing.record] : []
  );
  fields.push({
    name: "backQueryEveryEpoch",
    label: "brain scans after every epoch",
    value: "no",
    choices: ["no", "yes"],
    range: "yes or no",
  });
  if (complete.length > 0) {
    fields.push({
      name: "initRun",
      label: "start from a run's weights (same layers)",
      value: "",
      choices: ["", ...complete.slice(0, 200).map((record) => record.id)],
      range: "a saved run with the same layers, or blank: the seed's weights",
    });
  }
  return { status: dashboard.training.status, fields, live: await shownLiveTrainings(dashboard) };
}

export default function TrainPage(data: TrainPageData & { canChange?: boolean }) {
  return (
    <Layout title="Train a network" current="/train" islands>
      <p>
        One training at a time, on the full MNIST set unless limited; it appears in the runs list when it is
        saved.
      </p>
      {data.canChange === false
        ? (
          <p class="status-note">
            Training from the browser needs the dashboard's token: open the link <code>serve</code>{" "}
            printed (<code>…/?token=…</code>). Runs, the book and Draw are open to everyone.
          </p>
        )
        : (
          <Island
            name="TrainForm"
            component={TrainForm}
            props={{ status: data.status, fields: data.fields }}
          />
        )}
      <h2>From the command line</h2>
      <Island name="LiveTrainings" component={LiveTrainings} props={{ trainings: data.live }} />
    </Layout>
  );
}
