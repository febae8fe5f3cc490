// Stock Material for MkDocs search, run in Node exactly as the browser runs it: the site's own shipped
// search worker (lunr and Material's query handling) fed the site's own search_index.json.
//
//   node bench/stock_search.cjs SITE_DIR < queries.json > results.json
//
// queries.json is a JSON list of strings; results.json is, per query, the locations ("page/#anchor") in
// the order Material's result list shows them: groups by page, best group first, the page itself, then
// its sections. The caller maps locations to entry ids.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

function workerScript(siteDir) {
  const folder = path.join(siteDir, "assets", "javascripts", "workers");
  const name = fs.readdirSync(folder).find((file) => /^search\.[0-9a-f]+\.min\.js$/.test(file));
  if (!name) throw new Error(`no Material search worker in ${folder}`);
  return fs.readFileSync(path.join(folder, name), "utf8");
}

async function main() {
  const siteDir = process.argv[2];
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const index = JSON.parse(fs.readFileSync(path.join(siteDir, "search", "search_index.json"), "utf8"));

  // The worker's global scope: it registers one message listener and answers with postMessage.
  let listener = null;
  let answer = null;
  const scope = {
    console: { log() {}, warn: (...args) => process.stderr.write(args.join(" ") + "\n"), error() {} },
    addEventListener: (type, fn) => { if (type === "message") listener = fn; },
    postMessage: (message) => { answer = message; },
  };
  scope.self = scope;
  vm.createContext(scope);
  vm.runInContext(workerScript(siteDir), scope);
  const ask = async (message) => {
    answer = null;
    await listener({ data: message });
    return answer;
  };

  // Message types of Material's worker: 0 SETUP, 1 READY, 2 QUERY, 3 RESULT.
  // The page adds the options (search.suggest); suggestions do not change the ranking, so they stay off.
  const ready = await ask({ type: 0, data: { ...index, options: { suggest: false } } });
  if (!ready || ready.type !== 1) throw new Error("Material's search worker did not become ready");
  const results = [];
  for (const query of queries) {
    const result = await ask({ type: 2, data: query });
    results.push(result.data.items.flatMap((group) => group.map((item) => item.location)));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
