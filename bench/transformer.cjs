/* A transformer (all-MiniLM-L6-v2 as ONNX) run by onnxruntime-web's WebAssembly backend, single thread, as a
 * browser would run it, beside the built site's own search: driven by bench/transformer.py.
 *
 * stdin: {site, model, vocab, texts: [[doc, text], ...], queries: [...], limit}
 *   site   a built site (its search code, index and shipped vectors are loaded as salesfaq check-search does)
 *   model  an .onnx file with inputs input_ids, attention_mask, token_type_ids and output last_hidden_state
 *   vocab  the model's vocab.txt; tokens come from the site's own WordPiece tokenizer (salesfaq-semantic.js)
 *   texts  what is embedded per document (index of the document in the site's index): the closest counts
 * stdout: {load_ms, entry_ms, query_ms: [...], ranked: {name: [[id, ...] per query]}} */
"use strict";
const fs = require("fs"), path = require("path");
const ort = require("onnxruntime-web");

const MAX_TOKENS = 256; /* the sentence-transformers model's max_seq_length */

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const site = input.site;
  const read = (p) => fs.readFileSync(path.join(site, p));
  const bytes = (p) => { const b = read(p); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); };
  const search = require(path.join(site, "assets/salesfaq/salesfaq-search.js"));
  const semantic = require(path.join(site, "assets/salesfaq/salesfaq-semantic.js"));

  /* The site's tokenizer over the model's full vocabulary. */
  const vocabText = fs.readFileSync(input.vocab, "utf8");
  const vocab = vocabText.split("\n");
  const ids = new Map(vocab.map((token, i) => [token, i]));
  const tokenizer = semantic.tokenizer(vocabText, vocab.length, "[UNK]", 100);
  const CLS = ids.get("[CLS]"), SEP = ids.get("[SEP]");

  ort.env.wasm.numThreads = 1;
  let started = performance.now();
  const session = await ort.InferenceSession.create(fs.readFileSync(input.model));
  const loadMs = performance.now() - started;

  const tensor = (values) => new ort.Tensor("int64", BigInt64Array.from(values, BigInt), [1, values.length]);
  async function embed(text) {
    const tokens = tokenizer.tokenize(text).slice(0, MAX_TOKENS - 2).map((t) => ids.get(t));
    const row = [CLS, ...tokens, SEP];
    const out = await session.run({ input_ids: tensor(row), attention_mask: tensor(row.map(() => 1)),
                                    token_type_ids: tensor(row.map(() => 0)) });
    const hidden = out.last_hidden_state.data, dims = out.last_hidden_state.dims[2];
    const vector = new Float32Array(dims);
    for (let t = 0; t < row.length; t++) for (let d = 0; d < dims; d++) vector[d] += hidden[t * dims + d];
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += vector[d] * vector[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dims; d++) vector[d] /= norm;
    return vector;
  }

  await embed("warm up");
  started = performance.now();
  const rows = [];
  for (const [doc, text] of input.texts) rows.push({ doc, vector: await embed(text) });
  const entryMs = performance.now() - started;
  const queryMs = [], queryVectors = new Map();
  for (const query of input.queries) {
    const t = performance.now();
    queryVectors.set(query, await embed(query));
    queryMs.push(performance.now() - t);
  }

  const INDEX = "search/salesfaq/", meta = JSON.parse(read(INDEX + "index.json"));
  const load = async (p, kind) =>
    kind === "json" ? JSON.parse(read(INDEX + p)) : kind === "text" ? read(INDEX + p).toString("utf8") : bytes(INDEX + p);
  let docs = [];
  for (let c = 0; c * meta.docChunk < meta.docs; c++) docs = docs.concat(JSON.parse(read(INDEX + "d/" + c + ".json")).d);
  const dims = rows[0].vector.length, limit = input.limit;
  const ranked = {};

  /* The transformer alone: the closest of each document's vectors, documents by that cosine. */
  ranked["transformer alone"] = input.queries.map((query) => {
    const q = queryVectors.get(query), best = new Float32Array(docs.length).fill(-2);
    for (const { doc, vector } of rows) {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += q[d] * vector[d];
      if (dot > best[doc]) best[doc] = dot;
    }
    return Array.from(best.keys()).sort((a, b) => best[b] - best[a] || a - b).slice(0, limit).map((d) => docs[d][0]);
  });

  const run = async (engine) => {
    const out = [];
    for (const query of input.queries) out.push((await engine.run(query, limit)).results.map((r) => r.id));
    return out;
  };

  /* The site's engine as shipped (keywords + static vectors): the baseline of the same run. */
  const shipped = search.create(meta, load);
  const tokens = "assets/salesfaq/vectors/";
  shipped.setVectors(semantic.create(read(tokens + "vocab.txt").toString("utf8"), bytes(tokens + "vectors.i8"),
    JSON.parse(read(tokens + "meta.json"))), bytes(INDEX + "vectors.i8"));
  ranked["shipped"] = await run(shipped);

  /* The same engine with the transformer's vectors in place of the static ones (int8 as shipped ones are). */
  let peak = 0;
  for (const { vector } of rows) for (const v of vector) peak = Math.max(peak, Math.abs(v));
  /* The shipped layout: a count of vectors per document, then the rows (in document order, as made above). */
  const scale = peak / 127, n = meta.docs, packed = new Int8Array(n + rows.length * dims);
  rows.forEach(({ doc }) => { packed[doc] += 1; });
  rows.forEach(({ vector }, r) => vector.forEach((v, d) => { packed[n + r * dims + d] = Math.round(v / scale); }));
  const precomputed = { embed: (query) => queryVectors.get(query), knows: tokenizer.knows };
  for (const [name, tuning] of Object.entries(input.fused)) {
    const engine = search.create({ ...meta, vectors: { dims, scale, rows: rows.length } }, load, tuning);
    engine.setVectors(precomputed, packed.buffer);
    ranked[name] = await run(engine);
  }
  process.stdout.write(JSON.stringify({ load_ms: loadMs, entry_ms: entryMs, entry_texts: rows.length,
                                        query_ms: queryMs, ranked }));
}

main().catch((error) => { console.error(error && error.stack || error); process.exit(1); });
