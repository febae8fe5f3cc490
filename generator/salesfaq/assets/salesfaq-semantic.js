/* salesfaq semantic query vectors: the browser half of generator/salesfaq/semantic.py.
 * WordPiece tokens (BERT normaliser, lowercase) -> mean of the distilled int8 token vectors -> unit length.
 * Works in a web worker (importScripts), a page, or Node (require); tests/test_semantic.py checks that it
 * gives the same vectors as the Python half. */
(function (root) {
  "use strict";

  function isCjk(code) {
    return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) ||
      (code >= 0x20000 && code <= 0x2a6df) || (code >= 0x2a700 && code <= 0x2b73f) ||
      (code >= 0x2b740 && code <= 0x2b81f) || (code >= 0x2b820 && code <= 0x2ceaf) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0x2f800 && code <= 0x2fa1f);
  }

  var PUNCT = /\p{P}/u, SPACE = /[\t\n\r]|\p{Zs}/u, CONTROL = /\p{Cc}|\p{Cf}/u, MARK = /\p{Mn}/gu;

  function isPunctuation(ch) {
    var c = ch.codePointAt(0);
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126) ||
      PUNCT.test(ch);
  }

  function normalize(text) {
    var out = "";
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (SPACE.test(ch)) out += " ";
      else if (code === 0 || code === 0xfffd || CONTROL.test(ch)) continue;
      else if (isCjk(code)) out += " " + ch + " ";
      else out += ch;
    }
    return out.normalize("NFD").replace(MARK, "").toLowerCase();
  }

  function preTokenize(text) {
    var words = [];
    for (var chunk of text.split(/\s+/)) {
      var current = "";
      for (var ch of chunk) {
        if (isPunctuation(ch)) {
          if (current) { words.push(current); current = ""; }
          words.push(ch);
        } else current += ch;
      }
      if (current) words.push(current);
    }
    return words;
  }

  /* WordPiece over the first `rows` tokens of vocab.txt (BERT's: greedy longest match, "##" for the rest of a
   * word, a word with an unknown piece is one unknown token). Shared with salesfaq-transformer.js. */
  function tokenizer(vocab, rows, unk, maxChars) {
    var index = new Map();
    var tokens = vocab.split("\n");
    for (var i = 0; i < rows; i++) index.set(tokens[i], i);

    function wordpiece(word) {
      var chars = Array.from(word);
      if (chars.length > maxChars) return [unk];
      var pieces = [], start = 0;
      while (start < chars.length) {
        var end = chars.length, piece = null;
        while (start < end) {
          var candidate = chars.slice(start, end).join("");
          if (start > 0) candidate = "##" + candidate;
          if (index.has(candidate)) { piece = candidate; break; }
          end--;
        }
        if (piece === null) return [unk];
        pieces.push(piece);
        start = end;
      }
      return pieces;
    }

    function tokenize(text) {
      var out = [];
      for (var word of preTokenize(normalize(text))) out.push.apply(out, wordpiece(word));
      return out;
    }

    /* Whether a word (lowercase, as search words are) is a whole token with its own vector: names of
     * products, codes and misspellings are cut into pieces that carry little of their meaning. */
    function knows(word) { return index.has(word); }

    return { index: index, tokenize: tokenize, knows: knows };
  }

  /* vocab: the text of vocab.txt; bytes: ArrayBuffer of vectors.i8; meta: parsed meta.json */
  function create(vocab, bytes, meta) {
    var words = tokenizer(vocab, meta.rows, meta.unk_token, meta.max_input_chars_per_word);
    var index = words.index, tokenize = words.tokenize, unk = meta.unk_token;
    var data = new Int8Array(bytes), dims = meta.dims, scales = meta.scales;

    /* Unit-length Float32Array; all zeros when no token is known. */
    function embed(text) {
      var sum = new Float64Array(dims), count = 0;
      for (var token of tokenize(text)) {
        if (token === unk) continue;
        var row = index.get(token) * dims;
        for (var d = 0; d < dims; d++) sum[d] += data[row + d];
        count++;
      }
      var out = new Float32Array(dims);
      if (!count) return out;
      var norm = 0;
      for (d = 0; d < dims; d++) { sum[d] = (sum[d] / count) * scales[d]; norm += sum[d] * sum[d]; }
      norm = Math.sqrt(norm);
      for (d = 0; d < dims; d++) out[d] = norm ? sum[d] / norm : 0;
      return out;
    }

    return { dims: dims, tokenize: tokenize, embed: embed, knows: words.knows };
  }

  /* Cosines of a query vector against int8 entry vectors (rows x dims); the shared scale cancels out
   * for ranking, so it is applied only to report true cosines. */
  function cosines(query, entryBytes, dims, scale) {
    var rows = entryBytes.length / dims, out = new Float32Array(rows);
    for (var r = 0; r < rows; r++) {
      var dot = 0, base = r * dims;
      for (var d = 0; d < dims; d++) dot += query[d] * entryBytes[base + d];
      out[r] = dot * scale;
    }
    return out;
  }

  var api = { normalize: normalize, preTokenize: preTokenize, tokenizer: tokenizer, create: create, cosines: cosines };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SalesfaqSemantic = api;
})(typeof self !== "undefined" ? self : this);
