/** The page frame: navigation, stylesheet, and the islands' script when the page has any. */
import type { ComponentChildren } from "preact";

const PAGES = [
  ["/", "Runs"],
  ["/experiments", "Experiments"],
  ["/book", "The book"],
  ["/draw", "Draw"],
  ["/train", "Train"],
];

export function Layout(
  props: { title: string; children: ComponentChildren; islands?: boolean; current?: string },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — myonn`}</title>
        <link rel="stylesheet" href="/static/style.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <header>
          <a class="brand" href="/">myonn</a>
          <nav aria-label="pages">
            {PAGES.map(([href, label]) => (
              <a key={href} href={href} aria-current={props.current === href ? "page" : undefined}>{label}</a>
            ))}
          </nav>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        {props.islands && <script type="module" src="/static/islands/mod.js"></script>}
      </body>
    </html>
  );
}
