/**
 * Fresh's islands without Fresh: render an island on the server inside a marker element
 * that carries its props as JSON; islands/mod.ts hydrates every marker in the browser.
 */
import type { FunctionComponent } from "preact";

export function Island<P extends object>(
  props: { name: string; component: FunctionComponent<P>; props: NoInfer<P> },
) {
  const Component = props.component;
  return (
    <div data-island={props.name} data-props={JSON.stringify(props.props)}>
      <Component {...props.props} />
    </div>
  );
}
