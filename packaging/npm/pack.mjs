#!/usr/bin/env node
// Lays out dateline's npm packages, ready for `npm pack` or `npm publish`:
//
//   node packaging/npm/pack.mjs OUT_DIR [TARGET=BINARY ...]
//
// OUT_DIR/cli/ is the package people install, @dateline/cli (npm's `dateline` is
// another project's), whose command is `dateline` (`npx dateline build`): a small
// launcher whose optionalDependencies name one package per platform.
// OUT_DIR/cli-<os>-<cpu>/ is that platform package, made for each TARGET=BINARY
// given (a Rust target triple and the binary built for it), with `os` and `cpu`
// fields so npm installs only the one that fits. Every version is Cargo.toml's.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");

// The platforms the release workflow builds: Rust target → npm's os and cpu.
// Linux binaries are static (musl) in releases, so one package per CPU fits
// every distribution; the host's glibc target maps to the same package.
const PLATFORMS = [
  { targets: ["x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu"], os: "linux", cpu: "x64" },
  { targets: ["aarch64-unknown-linux-musl", "aarch64-unknown-linux-gnu"], os: "linux", cpu: "arm64" },
  { targets: ["aarch64-apple-darwin"], os: "darwin", cpu: "arm64" },
  { targets: ["x86_64-apple-darwin"], os: "darwin", cpu: "x64" },
  { targets: ["x86_64-pc-windows-msvc"], os: "win32", cpu: "x64" },
];
const scope = "@dateline";
const platformName = (p) => `${scope}/cli-${p.os}-${p.cpu}`;

function fail(message, help) {
  console.error(`error: ${message}${help ? `\nhelp: ${help}` : ""}`);
  process.exit(1);
}

const [out, ...pairs] = process.argv.slice(2);
if (!out) {
  fail("no output folder", "node packaging/npm/pack.mjs OUT_DIR [TARGET=BINARY ...]");
}
const version = execFileSync("bash", [path.join(repo, "packaging/version.sh")], {
  encoding: "utf8",
}).trim();

const common = {
  version,
  license: "MIT",
  homepage: "https://github.com/OWNER/dateline#readme",
  repository: { type: "git", url: "git+https://github.com/OWNER/dateline.git" },
};

function writePackage(dir, manifest, readme) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "README.md"), readme);
}

// The launcher package.
const main = path.join(out, "cli");
writePackage(
  main,
  {
    name: `${scope}/cli`,
    ...common,
    description: "A static-site generator for news timelines (the native dateline binary)",
    keywords: ["static-site-generator", "timeline", "news", "journalism"],
    bin: { dateline: "bin/dateline.js" },
    files: ["bin/"],
    engines: { node: ">=18" },
    optionalDependencies: Object.fromEntries(PLATFORMS.map((p) => [platformName(p), version])),
  },
  fs.readFileSync(path.join(here, "README.md"), "utf8"),
);
fs.copyFileSync(path.join(here, "bin/dateline.js"), path.join(main, "bin/dateline.js"));
fs.chmodSync(path.join(main, "bin/dateline.js"), 0o755);
console.log(main);

// One platform package per binary given.
for (const pair of pairs) {
  const at = pair.indexOf("=");
  const [target, binary] = at > 0 ? [pair.slice(0, at), pair.slice(at + 1)] : [pair, ""];
  const platform = PLATFORMS.find((p) => p.targets.includes(target));
  if (!platform) {
    fail(
      `\`${target}\` is not a target dateline publishes to npm`,
      `use one of ${PLATFORMS.flatMap((p) => p.targets).join(", ")}`,
    );
  }
  if (!binary || !fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) {
    fail(`\`${pair}\`: no binary at \`${binary}\``, "pass TARGET=BINARY, e.g. x86_64-unknown-linux-musl=target/x86_64-unknown-linux-musl/dist/dateline");
  }
  const name = platformName(platform);
  const dir = path.join(out, `cli-${platform.os}-${platform.cpu}`);
  const exe = platform.os === "win32" ? "dateline.exe" : "dateline";
  writePackage(
    dir,
    {
      name,
      ...common,
      description: `The dateline binary for ${platform.os} ${platform.cpu}; install \`${scope}/cli\`, which picks it`,
      os: [platform.os],
      cpu: [platform.cpu],
      files: ["bin/"],
      // Yarn's Plug'n'Play would otherwise keep the binary inside a zip it cannot run.
      preferUnplugged: true,
    },
    `# ${name}\n\nThe \`dateline\` binary for ${platform.os} ${platform.cpu}. Install [\`${scope}/cli\`](https://www.npmjs.com/package/${scope}/cli), which depends on it.\n`,
  );
  fs.copyFileSync(binary, path.join(dir, "bin", exe));
  fs.chmodSync(path.join(dir, "bin", exe), 0o755);
  console.log(dir);
}
