#!/usr/bin/env node
// `npx dateline …` runs the native dateline binary of this platform. npm installed
// it with this package as one of the optional dependencies @dateline/cli-<os>-<cpu>,
// skipping the others by their `os` and `cpu` fields (the esbuild and Biome
// pattern): nothing is downloaded by an install script, so it works offline, behind
// a registry mirror and with --ignore-scripts.
"use strict";

const { spawnSync } = require("node:child_process");

const platform = `${process.platform}-${process.arch}`;
const name = `@dateline/cli-${platform}`;
const exe = process.platform === "win32" ? "dateline.exe" : "dateline";

let binary;
try {
  binary = require.resolve(`${name}/bin/${exe}`);
} catch {
  const supported = Object.keys(require("../package.json").optionalDependencies || {});
  const known = supported.includes(name);
  console.error(
    known
      ? `error: ${name}, the dateline binary for ${platform}, is not installed\n` +
          "help: npm skips optional dependencies with --omit=optional or --no-optional; " +
          "install again without it (npm install @dateline/cli)"
      : `error: dateline has no binary for ${platform}; it is built for ` +
          supported.map((p) => p.replace("@dateline/cli-", "")).join(", ") +
          "\nhelp: build it from source with a Rust toolchain: cargo build --release (see the README)"
  );
  process.exit(1);
}

const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`error: could not run ${binary}: ${result.error.message}`);
  process.exit(1);
}
// Die of the same signal as the binary (Ctrl-C on `serve`), so the caller sees it.
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
