/* salesfaq transformer query vectors: the browser half of generator/salesfaq/transformer.py.
 * all-MiniLM-L6-v2 with int8 weights (a float32 scale per matrix row), run in plain JavaScript: WordPiece
 * tokens -> 6 BERT layers -> mean of the token states -> unit length. No model runtime; the same arithmetic
 * as the Python half (tests/test_transformer.py checks that they agree). Needs salesfaq-semantic.js (the
 * tokenizer). Works in a web worker, a page, or Node (require). */
(function (root) {
  "use strict";

  var semantic = typeof module === "object" && module.exports ? require("./salesfaq-semantic.js") : root.SalesfaqSemantic;

  /* The error function to 1.5e-7 (Abramowitz and Stegun 7.1.26), as the Python half computes it. */
  function erf(x) {
    var sign = x < 0 ? -1 : 1, a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
    var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    return sign * (1 - poly * Math.exp(-a * a));
  }

  /* vocab: the text of vocab.txt; bytes: ArrayBuffer of model.i8; meta: parsed model.json */
  function create(vocab, bytes, meta) {
    var words = semantic.tokenizer(vocab, meta.rows, meta.unk_token, meta.max_input_chars_per_word);
    var index = words.index, H = meta.hidden, heads = meta.heads, size = H / heads, eps = meta.eps;
    var tensors = {};
    meta.tensors.forEach(function (t) {
      var count = t.shape.reduce(function (a, b) { return a * b; }, 1);
      tensors[t.name] = "codes" in t
        ? { codes: new Int8Array(bytes, t.codes, count), scales: new Float32Array(bytes, t.scales, t.shape[0]),
            rows: t.shape[0], cols: t.shape[1] }
        : "codes4" in t  /* 4 bits a number, two to a byte, low nibble first (the word embeddings) */
          ? { nibbles: new Uint8Array(bytes, t.codes4, count / 2), scales: new Float32Array(bytes, t.scales, t.shape[0]),
              rows: t.shape[0], cols: t.shape[1] }
          : new Float32Array(bytes, t.data, count);
    });
    var CLS = index.get("[CLS]"), SEP = index.get("[SEP]");

    /* y (n x rows) = x (n x cols) times the matrix's rows, each scaled, plus the bias. Two rows against four
     * tokens at a time: each weight read serves eight products (about four times faster in V8 than one dot
     * product at a time); tokens are padded to a multiple of four. Rows come in even numbers (384, 1536). */
    function dense(x, n, m, bias) {
      var rows = m.rows, cols = m.cols, codes = m.codes, scales = m.scales, padded = (n + 3) & ~3;
      if (padded !== n) { var wider = new Float32Array(padded * cols); wider.set(x.subarray(0, n * cols)); x = wider; }
      var y = new Float32Array(padded * rows);
      for (var o = 0; o < rows; o += 2) {
        var r0 = o * cols, r1 = r0 + cols;
        for (var t = 0; t < padded; t += 4) {
          var x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
          var a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
          for (var i = 0; i < cols; i++) {
            var w = codes[r0 + i], u = codes[r1 + i], v0 = x[x0 + i], v1 = x[x1 + i], v2 = x[x2 + i], v3 = x[x3 + i];
            a0 += w * v0; a1 += w * v1; a2 += w * v2; a3 += w * v3;
            b0 += u * v0; b1 += u * v1; b2 += u * v2; b3 += u * v3;
          }
          y[t * rows + o] = a0; y[(t + 1) * rows + o] = a1; y[(t + 2) * rows + o] = a2; y[(t + 3) * rows + o] = a3;
          y[t * rows + o + 1] = b0; y[(t + 1) * rows + o + 1] = b1;
          y[(t + 2) * rows + o + 1] = b2; y[(t + 3) * rows + o + 1] = b3;
        }
      }
      y = y.subarray(0, n * rows);
      for (t = 0; t < n; t++) for (var r = 0; r < rows; r++) y[t * rows + r] = y[t * rows + r] * scales[r] + bias[r];
      return y;
    }

    /* In place: x = LayerNorm(x + residual) */
    function norm(x, residual, n, gain, bias) {
      for (var t = 0; t < n; t++) {
        var base = t * H, mean = 0, variance = 0, i;
        if (residual) for (i = 0; i < H; i++) x[base + i] += residual[base + i];
        for (i = 0; i < H; i++) mean += x[base + i];
        mean /= H;
        for (i = 0; i < H; i++) { var c = x[base + i] - mean; variance += c * c; }
        var inv = 1 / Math.sqrt(variance / H + eps);
        for (i = 0; i < H; i++) x[base + i] = (x[base + i] - mean) * inv * gain[i] + bias[i];
      }
      return x;
    }

    function attention(q, k, v, n) {
      var out = new Float32Array(n * H), scores = new Float64Array(n), scale = 1 / Math.sqrt(size);
      for (var h = 0; h < heads; h++) {
        var off = h * size;
        for (var t = 0; t < n; t++) {
          var best = -Infinity, total = 0, u, d;
          for (u = 0; u < n; u++) {
            var dot = 0;
            for (d = 0; d < size; d++) dot += q[t * H + off + d] * k[u * H + off + d];
            scores[u] = dot * scale;
            if (scores[u] > best) best = scores[u];
          }
          for (u = 0; u < n; u++) { scores[u] = Math.exp(scores[u] - best); total += scores[u]; }
          for (u = 0; u < n; u++) {
            var w = scores[u] / total;
            for (d = 0; d < size; d++) out[t * H + off + d] += w * v[u * H + off + d];
          }
        }
      }
      return out;
    }

    function ids(text) {
      var pieces = words.tokenize(text).slice(0, meta.max_tokens - 2);
      return [CLS].concat(pieces.map(function (p) { return index.get(p); }), [SEP]);
    }

    /* Unit-length Float32Array of 384 numbers: the sentence vector of `text` (not to be changed: the last few
     * are kept, as a query is often ranked again: when the model arrives, when Material asks again). */
    var recent = new Map();
    function embed(text) {
      var kept = recent.get(text);
      if (!kept) {
        recent.set(text, kept = compute(text));
        if (recent.size > 16) recent.delete(recent.keys().next().value);
      }
      return kept;
    }

    function compute(text) {
      var row = ids(text), n = row.length, x = new Float32Array(n * H);
      var word = tensors["embeddings.word_embeddings.weight"], place = tensors["embeddings.position_embeddings.weight"];
      for (var t = 0; t < n; t++) {
        var w = row[t] * H / 2, p = t * H, ws = word.scales[row[t]], ps = place.scales[t];
        for (var i = 0; i < H; i += 2) {
          var pair = word.nibbles[w + i / 2], low = pair & 15, high = pair >> 4;
          x[t * H + i] = (low > 7 ? low - 16 : low) * ws + place.codes[p + i] * ps;
          x[t * H + i + 1] = (high > 7 ? high - 16 : high) * ws + place.codes[p + i + 1] * ps;
        }
      }
      norm(x, null, n, tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"]);
      for (var layer = 0; layer < meta.layers; layer++) {
        var L = function (name) { return tensors["encoder.layer." + layer + "." + name]; };
        var q = dense(x, n, L("attention.self.query.weight"), L("attention.self.query.bias"));
        var k = dense(x, n, L("attention.self.key.weight"), L("attention.self.key.bias"));
        var v = dense(x, n, L("attention.self.value.weight"), L("attention.self.value.bias"));
        var a = dense(attention(q, k, v, n), n, L("attention.output.dense.weight"), L("attention.output.dense.bias"));
        x = norm(a, x, n, L("attention.output.LayerNorm.weight"), L("attention.output.LayerNorm.bias"));
        var inner = dense(x, n, L("intermediate.dense.weight"), L("intermediate.dense.bias"));
        for (var j = 0; j < inner.length; j++) inner[j] = 0.5 * inner[j] * (1 + erf(inner[j] / Math.SQRT2));
        x = norm(dense(inner, n, L("output.dense.weight"), L("output.dense.bias")), x, n,
                 L("output.LayerNorm.weight"), L("output.LayerNorm.bias"));
      }
      var out = new Float32Array(H), total = 0, d;
      for (t = 0; t < n; t++) for (d = 0; d < H; d++) out[d] += x[t * H + d];
      for (d = 0; d < H; d++) total += out[d] * out[d];
      total = Math.sqrt(total) || 1;
      for (d = 0; d < H; d++) out[d] /= total;
      return out;
    }

    return { dims: H, tokenize: words.tokenize, embed: embed, knows: words.knows };
  }

  var api = { create: create };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SalesfaqTransformer = api;
})(typeof self !== "undefined" ? self : this);
