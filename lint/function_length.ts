/// <reference lib="deno.unstable" />
/**
 * A `deno lint` plugin (deno.json's lint.plugins): no function in core/ longer than 80 lines,
 * so each reads on one screen — generated code aside (core/kernels/wasm/kernels_wasm.ts holds
 * the assembled module). Run by `deno lint` (`deno task check`) and by tests/e2e/layers_test.ts.
 *
 * @module
 */
/** The longest a function of core/ may be, in lines. */
export const MAX_FUNCTION_LINES = 80;

/** Whether the rule holds for `filename`: core's own code. */
function inCore(filename: string): boolean {
  return /[/\\]core[/\\]/.test(filename) && !/kernels_wasm\.ts$/.test(filename);
}

const plugin: Deno.lint.Plugin = {
  name: "myonn",
  rules: {
    "function-length": {
      create(context) {
        if (!inCore(context.filename)) return {};
        const check = (node: Deno.lint.Node & { range: Deno.lint.Range }) => {
          const [start, end] = node.range;
          const lines = context.sourceCode.text.slice(start, end).split("\n").length;
          if (lines > MAX_FUNCTION_LINES) {
            context.report({
              node,
              message: `a function of ${lines} lines: core keeps each under ${MAX_FUNCTION_LINES} (split it)`,
            });
          }
        };
        return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
      },
    },
  },
};
export default plugin;
