/**
 * The machine a record was made on: Deno and V8 versions, OS, architecture, CPU model
 * (from /proc/cpuinfo on Linux) and core count.
 *
 * @module
 */
import { record, text, v, whole } from "./schema.ts";

/** The machine a run was made on, as every record file writes it. */
export const MACHINE = record({
  deno: text(),
  v8: text(),
  os: text(),
  arch: text(),
  cpu: text(),
  cores: whole(),
});
export type Machine = v.InferOutput<typeof MACHINE>;

/** Describe this machine. */
export function describeMachine(): Machine {
  let cpu = "unknown";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      /^Hardware\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ??
      cpu;
  } catch {
    // not Linux, or not allowed to read it
  }
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: Deno.build.os,
    arch: Deno.build.arch,
    cpu,
    cores: navigator.hardwareConcurrency,
  };
}
