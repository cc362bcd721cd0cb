/** Train: start a training on the server and watch it. */
import { Island } from "../components/Island.tsx";
import { Layout } from "../components/Layout.tsx";
import TrainForm from "../islands/TrainForm.tsx";
import type { Dashboard } from "./context.ts";

export default function TrainPage(dashboard: Dashboard) {
  return (
    <Layout title="Train a network" islands>
      <p>
        One training at a time, on the full MNIST set unless limited; it appears in the runs list when it is
        saved.
      </p>
      <Island name="TrainForm" component={TrainForm} props={{ status: dashboard.training.status }} />
    </Layout>
  );
}
