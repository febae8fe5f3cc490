/* salesfaq search engine: keyword (BM25F, prefixes, typos, synonyms) fused with meaning (static vectors).
 * Reads the index generator/salesfaq/search.py writes; nothing costly is rebuilt here: term weights are
 * precomputed, and only the chunks a query touches are fetched and decoded. Runs in the search worker, a page,
 * or Node (require), which is how `salesfaq check-search` runs the very same code. */
(function (root) {
  "use strict";

  /* Kept in sync with STOP_WORDS in search.py (tests/test_search.py compares them). */
  var STOP_WORDS = new Set((
    "a about after all also am an and any are as at be been being but by can could did do does doing for from" +
    " get got had has have having he her here hers him his how i if in into is it its just let me my no nor not" +
    " of off on once only or other our ours out over own same she should so some such than that the their" +
    " theirs them then there these they this those through to too under until up very was we were what when" +
    " where which while who whom why will with would you your yours u ur im ive dont pls please" +
    " say says said saying thinks tells told asks asked asking" +
    " s t d m ll re ve don didn doesn isn aren wasn weren hasn haven hadn couldn shouldn wouldn mustn needn")
    .split(" "));

  var TUNING = {
    prefix: 0.85,      /* the last word as typed, completed to a longer word */
    abbreviation: 0.7, /* an earlier word of 3+ letters completed to a longer one ("env", "config") */
    typo: 0.7,         /* one letter wrong, missing, extra or swapped */
    synonym: 0.6,      /* a word of the same site.yaml synonym group */
    coverage: 0.8,     /* share of the keyword score that depends on matching every query word */
    keywordWeight: 1.0,
    semanticWeight: 1.5, /* for a query whose every word the vectors know ... */
    meaningFloor: 0.2,   /* ... down to this share of it when they know none: the meaning half weighs as
                            much of the query as it understands (names, codes, typos are keyword work) */
    allWords: 0.5,     /* bonus (as a share of the best keyword score) for matching every word of a 2+ word query */
    depth: 40,         /* ranks taken from each list before fusing */
    minStandout: 1.5,  /* a document with no query word is listed only if it stands out in meaning (SDs) */
    standoutPerWord: 4, /* a good answer matches every query word, or fewer but stands out in meaning: each
                          SD it stands out by counts as 1/4 of the query's words */
    goodCosine: 0.45,  /* ... and is this close in meaning (cosine), times the share of the query's words the
                          vectors know: a question no entry answers still has a closest entry, but a far one */
    transformerWeight: 2,     /* semanticWeight and goodCosine when the meaning half is the transformer */
    transformerGoodCosine: 0.45,
    transformerSpread: 0.15,  /* the transformer's credit to a document: its weight times exp(-(how far below
                                 the closest document it is) / this): a close second counts, a far one hardly */
    rowSoftness: 0.1   /* a document's several vectors (whole entry, each phrasing): 0 = only the closest
                          one counts; more = the others too (a log-mean-exp of the cosines at this temperature) */
  };

  var MARK = /\p{Mn}/gu;

  function words(text) {
    return text.toLowerCase().normalize("NFD").replace(MARK, "").match(/[a-z0-9]+/g) || [];
  }

  var VOWEL = /[aeiouy]/;

  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    if (word.endsWith("ies") && word.length > 4) word = word.slice(0, -3) + "y";
    else if (word.endsWith("sses") || /(ches|shes|xes|zes)$/.test(word)) word = word.slice(0, -2);
    else if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    for (var suffix of ["ing", "ed"]) {
      var rest = word.length - suffix.length;
      if (word.endsWith(suffix) && rest >= 3 && VOWEL.test(word.slice(0, rest))) {
        word = word.slice(0, rest);
        if (word.length > 3 && word[word.length - 1] === word[word.length - 2] && "lsz".indexOf(word[word.length - 1]) < 0)
          word = word.slice(0, -1);
        break;
      }
    }
    if (word.endsWith("ation") && word.length > 7) word = word.slice(0, -5) + "at";
    if (word.endsWith("e") && word.length > 4) word = word.slice(0, -1);
    return word;
  }

  /* Index of `value` in the sorted ASCII array, or the insertion point as -(point + 1). */
  function search(sorted, value) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < value) lo = mid + 1;
      else if (sorted[mid] > value) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /* Whether a and b differ by at most one edit (substitution, insertion, deletion or adjacent swap). */
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function decodeBase64(text) {
    if (typeof atob === "function") {
      var binary = atob(text), out = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
      return out;
    }
    return new Uint8Array(Buffer.from(text, "base64"));
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Shared by every engine: a stem's decoded postings never change within a site. */
  function decodePostings(encoded) {
    var raw = decodeBase64(encoded), docsOut = [], weights = [], number = 0, i = 0;
    while (i < raw.length) {
      var delta = 0, shift = 0, byte;
      do { byte = raw[i++]; delta |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
      number += delta;
      docsOut.push(number);
      weights.push(raw[i++]);
    }
    return { docs: docsOut, weights: weights };
  }

  /* unit(v + v·down·up): the query's vector moved as the build taught it for this site (adapter.py). */
  function adapt(vector, adapter) {
    var dims = vector.length, k = adapter.rank, low = new Float64Array(k), out = new Float32Array(dims);
    for (var i = 0; i < dims; i++) {
      var v = vector[i];
      if (v) for (var j = 0; j < k; j++) low[j] += v * adapter.down[i * k + j];
    }
    var norm = 0;
    for (i = 0; i < dims; i++) {
      var moved = vector[i];
      for (j = 0; j < k; j++) moved += low[j] * adapter.up[j * dims + i];
      out[i] = moved;
      norm += moved * moved;
    }
    norm = Math.sqrt(norm) || 1;
    for (i = 0; i < dims; i++) out[i] /= norm;
    return out;
  }

  var NONE = { docs: [], weights: [] };

  /* meta: the parsed search/salesfaq/index.json; load(path, kind) gives a Promise of a data file under
   * search/salesfaq/ as "json", "text" or "bytes". The engine fetches only what a query needs: the term
   * chunks of its words, the documents it shows, the whole word list only to correct a typo. Vectors come
   * later (setVectors) and are optional. */
  function create(meta, load, tuning) {
    Object.keys(tuning || {}).forEach(function (name) {
      if (!(name in TUNING)) throw new Error("unknown search setting: " + name);
    });
    var T = Object.assign({}, TUNING, tuning || {});
    var n = meta.docs, bounds = meta.chunks, perDocChunk = meta.docChunk;
    var chunks = new Array(bounds.length), docChunks = [], wordList = null, pending = {}, wanted = new Set();
    var decoded = new Map();
    var vectorSets = { static: null, transformer: null };
    var synonyms = (meta.synonyms || []).map(function (group) {
      return group.map(function (phrase) { return phrase.split(" ").filter(Boolean).map(stem); });
    });

    function chunkOf(key) {
      if (!bounds.length) return -1;
      var found = search(bounds, key);
      return found >= 0 ? found : Math.max(0, -found - 2);
    }

    /* Term chunk `i` if it has arrived; otherwise null, and it is wanted. */
    function chunk(i) {
      if (chunks[i]) return chunks[i];
      wanted.add("t/" + i);
      return null;
    }

    /* The postings of a stem, NONE if it is not in the index, null until its chunk has arrived. */
    function postings(term) {
      var found = decoded.get(term);
      if (found) return found;
      var i = chunkOf(term);
      if (i < 0) return NONE;
      var c = chunk(i);
      if (!c) return null;
      found = Object.prototype.hasOwnProperty.call(c.p, term) ? decodePostings(c.p[term]) : NONE;
      decoded.set(term, found);
      return found;
    }

    function has(term) {
      var p = postings(term);
      return p === null ? null : p.docs.length > 0;
    }

    /* Up to `limit` indexed words starting with `prefix`, in order, across chunks; null until they arrive. */
    function completions(prefix, limit) {
      var out = [], first = chunkOf(prefix);
      for (var i = Math.max(first, 0); i < bounds.length && out.length < limit; i++) {
        if (i > first && !bounds[i].startsWith(prefix)) break;
        var c = chunk(i);
        if (!c) return null;
        var list = c.words, j = search(list, prefix);
        for (j = j >= 0 ? j : -j - 1; j < list.length && out.length < limit; j++) {
          if (!list[j].startsWith(prefix)) return out;
          out.push(list[j]);
        }
      }
      return out;
    }

    function words_() {
      if (wordList) return wordList;
      wanted.add("words");
      return null;
    }

    function fetchPart(name) {
      if (!pending[name]) {
        pending[name] = name === "words"
          ? load("words.txt", "text").then(function (text) { wordList = text ? text.split("\n") : []; })
          : load(name + ".json", "json").then(function (data) {
            current(data);
            var number = +name.slice(2);
            if (name[0] === "t") chunks[number] = { words: data.w ? data.w.split("\n") : [], p: data.p };
            else docChunks[number] = data.d;
          });
        pending[name].catch(function () { delete pending[name]; });
      }
      return pending[name];
    }

    /* A piece of another build than index.json's: the index.json this engine has is stale (a host or CDN
     * kept it after a deploy). The search worker then reads index.json again and makes a new engine. */
    function current(data) {
      if (!data || data.v !== meta.version) {
        var error = new Error("search index changed: index.json " + meta.version + ", piece " + (data && data.v));
        error.stale = true;
        throw error;
      }
    }

    /* Runs `step` (which notes in `wanted` what it lacked) until it lacked nothing. */
    function complete(step) {
      wanted.clear();
      var out = step();
      if (!wanted.size) return Promise.resolve(out);
      return Promise.all(Array.from(wanted, fetchPart)).then(function () { return complete(step); });
    }

    function docInfo(d) {
      var c = docChunks[Math.floor(d / perDocChunk)];
      if (c) return c[d % perDocChunk];
      wanted.add("d/" + Math.floor(d / perDocChunk));
      return null;
    }

    function add(candidates, terms, weight) {
      var key = terms.join(" ");
      var old = candidates.get(key);
      if (!old || old.weight < weight) candidates.set(key, { terms: terms, weight: weight });
    }

    /* One slot per query word: the terms that may stand for it, each with how much a match counts. Reads
     * only what has arrived; what it lacks is in `wanted` (see complete). */
    function slots(query) {
      var raw = words(query), typing = !/\s$/.test(query);
      var content = raw.filter(function (w) { return !STOP_WORDS.has(w); });
      if (!content.length) content = raw;
      var out = [], rawStems = raw.map(stem);
      function phraseTerms(phrase) {
        var known = phrase.map(has);
        return known.every(function (k) { return k === true; }) ? phrase : null;
      }
      content.forEach(function (word, position) {
        var candidates = new Map(), s = stem(word), exact = has(s);
        if (exact) add(candidates, [s], 1);
        var last = typing && position === content.length - 1 && word === raw[raw.length - 1];
        if (last ? word.length >= 2 : word.length >= 3 && /^[a-z]+$/.test(word)) {
          (completions(word, 60) || []).forEach(function (other) {
            var t = stem(other);
            if (has(t)) add(candidates, [t], other === word ? 1 : last ? T.prefix : T.abbreviation);
          });
        }
        if (exact === false && word.length >= 5 && /^[a-z]+$/.test(word)) {
          var all = words_() || [];
          for (var k = 0; k < all.length; k++) {
            var other = all[k];
            if (Math.abs(other.length - word.length) <= 1 && withinOneEdit(word, other) && has(stem(other)))
              add(candidates, [stem(other)], T.typo);
          }
        }
        synonyms.forEach(function (group) {
          if (!group.some(function (phrase) { return phrase.length === 1 && phrase[0] === s; })) return;
          group.forEach(function (phrase) {
            var terms = phraseTerms(phrase);
            if (terms) add(candidates, terms, T.synonym);
          });
        });
        out.push({ word: word, candidates: Array.from(candidates.values()) });
      });
      /* A several-word synonym typed in full ("order form") brings its group in as one more slot. */
      synonyms.forEach(function (group) {
        var typed = group.filter(function (phrase) {
          if (phrase.length < 2) return false;
          for (var i = 0; i + phrase.length <= rawStems.length; i++)
            if (phrase.every(function (p, j) { return rawStems[i + j] === p; })) return true;
          return false;
        });
        if (!typed.length) return;
        var candidates = new Map();
        group.forEach(function (phrase) {
          if (typed.indexOf(phrase) >= 0) return;
          var terms = phraseTerms(phrase);
          if (terms) add(candidates, terms, T.synonym);
        });
        if (candidates.size) out.push({ word: typed[0].join(" "), candidates: Array.from(candidates.values()) });
      });
      return out;
    }

    function keyword(parts) {
      var total = new Float64Array(n), matched = new Uint8Array(n);
      var terms = {};
      parts.forEach(function (slot) {
        var best = new Float64Array(n), touched = [];
        slot.candidates.forEach(function (candidate) {
          var sum = new Map();
          candidate.terms.forEach(function (term) {
            var p = postings(term);
            for (var i = 0; i < p.docs.length; i++) sum.set(p.docs[i], (sum.get(p.docs[i]) || 0) + p.weights[i]);
          });
          sum.forEach(function (value, d) {
            var v = candidate.weight * value / candidate.terms.length;
            if (v > best[d]) { if (!best[d]) touched.push(d); best[d] = v; }
          });
        });
        touched.forEach(function (d) { total[d] += best[d]; matched[d]++; });
        terms[slot.word] = touched.length > 0;
      });
      var ranked = [];
      for (var d = 0; d < n; d++) {
        if (!total[d]) continue;
        var coverage = matched[d] / parts.length;
        ranked.push({ doc: d, score: total[d] * (1 - T.coverage + T.coverage * coverage), coverage: coverage });
      }
      ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { ranked: ranked, terms: terms, slots: parts.length };
    }

    /* Per document: its closest vector's cosine (`cos`: how close it is, for "Ask marketing") and the score
     * that ranks it (`rank`: the cosines of all its vectors, the closest weighing most, see rowSoftness; with
     * the transformer's adapter, those of the query's adapted vector). */
    function meaning(query, semantic) {
      if (!semantic) return null;
      var vector = semantic.model.embed(query), dims = semantic.dims, data = semantic.data, owners = semantic.owners;
      var any = false;
      for (var d = 0; d < dims; d++) if (vector[d]) { any = true; break; }
      if (!any) return null;
      var tuned = semantic.adapter ? adapt(vector, semantic.adapter) : null;
      var cos = new Float32Array(n).fill(-1), rows = new Float32Array(owners.length);
      var best = tuned ? new Float32Array(n).fill(-1) : cos;  /* each document's closest row, as ranked */
      for (var r = 0, base = 0; r < owners.length; r++, base += dims) {
        var dot = 0, other = 0;
        for (d = 0; d < dims; d += 4)  /* dims is a multiple of 4 (128; the transformer 384) */
          dot += vector[d] * data[base + d] + vector[d + 1] * data[base + d + 1] +
            vector[d + 2] * data[base + d + 2] + vector[d + 3] * data[base + d + 3];
        if (tuned) for (d = 0; d < dims; d += 4)
          other += tuned[d] * data[base + d] + tuned[d + 1] * data[base + d + 1] +
            tuned[d + 2] * data[base + d + 2] + tuned[d + 3] * data[base + d + 3];
        dot *= semantic.scale;
        rows[r] = tuned ? other * semantic.scale : dot;
        if (dot > cos[owners[r]]) cos[owners[r]] = dot;
        if (rows[r] > best[owners[r]]) best[owners[r]] = rows[r];
      }
      var tau = T.rowSoftness;
      if (!tau) return { cos: cos, rank: best };
      /* max + tau * log(mean of exp((cosine - max) / tau)): the closest vector, less for each vector of the
       * document that is much further (a query near one phrasing only of an entry, or near all of them) */
      var sum = new Float64Array(n), count = new Uint16Array(n), rank = new Float32Array(n);
      for (r = 0; r < owners.length; r++) {
        var o = owners[r];
        sum[o] += Math.exp((rows[r] - best[o]) / tau);
        count[o]++;
      }
      for (d = 0; d < n; d++) rank[d] = count[d] ? best[d] + tau * Math.log(sum[d] / count[d]) : -1;
      return { cos: cos, rank: rank };
    }

    /* Share of the query's words (stop words aside) that the token vectors know whole. */
    function understood(query, semantic) {
      var content = words(query).filter(function (w) { return !STOP_WORDS.has(w); });
      if (!content.length) return 1;
      return content.filter(function (w) { return semantic.model.knows(w); }).length / content.length;
    }

    /* The `count` documents of highest score, best first (ties: page order); no sort of all of them. */
    function highest(scores, count) {
      var top = [];
      for (var d = 0; d < scores.length; d++) {
        if (top.length === count && scores[d] <= scores[top[count - 1]]) continue;
        var i = top.length < count ? top.length : count - 1;
        while (i > 0 && scores[top[i - 1]] < scores[d]) { top[i] = top[i - 1]; i--; }
        top[i] = d;
      }
      return top;
    }

    /* How far a document's cosine stands above the others, in standard deviations: static vectors give
     * even gibberish a high cosine with everything, so only standing out means something. */
    function standout(cosines) {
      var mean = 0, square = 0;
      for (var i = 0; i < n; i++) { mean += cosines[i]; square += cosines[i] * cosines[i]; }
      mean /= n;
      var sd = Math.sqrt(Math.max(square / n - mean * mean, 1e-9));
      return function (doc) { return (cosines[doc] - mean) / sd; };
    }

    /* A Promise of ranked results: [{doc, id, location, title, summary, section, score, cosine, coverage}],
     * the best `limit` (default 10), plus whether the best of them is a good answer (otherwise the rep is
     * offered "Ask marketing"). */
    function run(query, limit, deep) {
      if (!words(query).length) return Promise.resolve({ results: [], good: false, terms: {} });
      return complete(function () { return slots(query); }).then(function (parts) {
        var semantic = (deep && vectorSets.transformer) || vectorSets.static;
        var weight = semantic && semantic.transformer ? T.transformerWeight : T.semanticWeight;
        var goodCosine = semantic && semantic.transformer ? T.transformerGoodCosine : T.goodCosine;
        var kw = keyword(parts), both = meaning(query, semantic), known = both ? understood(query, semantic) : 1;
        var cosines = both && both.cos, ranking = both && both.rank;
        var fused = new Map();
        function entry(d) {
          var e = fused.get(d);
          if (!e) fused.set(d, e = { doc: d, score: 0, coverage: 0, cosine: cosines ? cosines[d] : 0 });
          return e;
        }
        /* Relative score fusion: each half's scores as a share of its best one, weighted and added (a
         * document that only one half finds gets only that half's share). */
        var bestKeyword = kw.ranked.length ? kw.ranked[0].score : 1;
        kw.ranked.slice(0, T.depth).forEach(function (hit) {
          var e = entry(hit.doc);
          e.score += T.keywordWeight * hit.score / bestKeyword;
          e.coverage = hit.coverage;
        });
        kw.ranked.slice(T.depth).forEach(function (hit) { entry(hit.doc).coverage = hit.coverage; });
        if (kw.slots >= 2) fused.forEach(function (e) {
          if (e.coverage === 1) e.score += T.allWords * T.keywordWeight;
        });
        var z = cosines ? standout(ranking) : function () { return 0; };
        if (cosines) {
          var meaningWeight = weight * (T.meaningFloor + (1 - T.meaningFloor) * known);
          /* the static vectors' meaning by how far a document's cosine stands out, as a share of how far the
           * closest one does (all their cosines are high); the transformer's by how far below the closest one */
          var closest = highest(ranking, T.depth), furthest = closest.length ? z(closest[0]) : 0;
          var share = semantic.transformer
            ? function (d) { return Math.exp((ranking[d] - ranking[closest[0]]) / T.transformerSpread); }
            : function (d) { return z(d) / furthest; };
          if (furthest > 0) closest.forEach(function (d) {
            if (!fused.has(d) && z(d) < T.minStandout) return;
            var part = share(d);
            if (part > 0) entry(d).score += meaningWeight * part;
          });
        }
        var ranked = Array.from(fused.values()).filter(function (e) { return e.score > 0; });
        ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        ranked = ranked.slice(0, limit || 10);
        /* a good answer stands out by its closest vector's cosine (what goodCosine and minStandout were set on) */
        var zClosest = cosines && ranking !== cosines ? standout(cosines) : z;
        var top = ranked[0], best = top ? zClosest(top.doc) : 0;
        var close = !cosines || !top || top.cosine >= goodCosine * known;
        var good = !!top && top.coverage + best / T.standoutPerWord >= 1 && close;
        return complete(function () { return ranked.map(function (e) { return docInfo(e.doc); }); })
          .then(function (shown) {
            var results = ranked.map(function (e, i) {
              var doc = shown[i];
              return { doc: e.doc, id: doc[0], location: doc[1], title: doc[2], summary: doc[3], section: doc[4],
                       score: e.score, cosine: e.cosine, coverage: e.coverage };
            });
            return { results: results, good: good, terms: kw.terms, standout: best,
                     transformer: !!(semantic && semantic.transformer) };
          });
      });
    }

    /* A query embedder and its entry vectors file (a count per document, then int8 rows), once they have
     * arrived: the token vectors (salesfaq-semantic.js), or with `kind` "transformer" the transformer
     * (salesfaq-transformer.js; its layout in meta.transformer). run(query, limit, true) uses the latter. */
    function setVectors(model, entryBytes, kind) {
      var layout = kind === "transformer" ? meta.transformer : meta.vectors;
      var counts = new Uint8Array(entryBytes, 0, n), owners = new Int32Array(layout.rows), r = 0;
      for (var d = 0; d < n; d++) for (var c = 0; c < counts[d]; c++) owners[r++] = d;
      var size = layout.rows * layout.dims;
      var set = { model: model, data: new Int8Array(entryBytes, n, size), dims: layout.dims, scale: layout.scale,
                  owners: owners, transformer: kind === "transformer", adapter: null };
      if (layout.adapter) {  /* after the rows: down (dims x rank) then up (rank x dims), float32 */
        var floats = layout.dims * layout.adapter, at = n + size;
        set.adapter = { rank: layout.adapter,
                        down: new Float32Array(entryBytes.slice(at, at + 4 * floats)),
                        up: new Float32Array(entryBytes.slice(at + 4 * floats, at + 8 * floats)) };
      }
      vectorSets[set.transformer ? "transformer" : "static"] = set;
    }

    /* Every document at once (docs.json), so that later key presses fetch nothing to show their results. */
    function loadDocs() {
      return load("docs.json", "json").then(function (data) {
        current(data);
        var all = data.d;
        for (var i = 0; i * perDocChunk < all.length; i++) docChunks[i] = all.slice(i * perDocChunk, (i + 1) * perDocChunk);
      });
    }

    return { run: run, setVectors: setVectors, hasVectors: function () { return !!vectorSets.static; },
             hasTransformer: function () { return !!vectorSets.transformer; },
             loadDocs: loadDocs, ask: meta.ask || null, load: load };
  }

  /* A result list in the shape Material's search UI renders: one group per entry, so entries rank on
   * their own; "Ask marketing" last, or first when nothing good was found. Ten items in all: what Material
   * renders at once, so "Ask marketing" is always on screen without scrolling the list. */
  function toMaterial(found, query, ask, limit) {
    var matchedStems = new Set();
    Object.keys(found.terms).forEach(function (w) { if (found.terms[w]) matchedStems.add(stem(w)); });
    function highlight(text) {
      return escapeHtml(text).replace(/[\p{L}\p{N}]+/gu, function (w) {
        return matchedStems.has(stem(words(w)[0] || "")) ? "<mark data-md-highlight>" + w + "</mark>" : w;
      });
    }
    var items = found.results.slice(0, limit || (ask ? 9 : 10)).map(function (r) {
      var summary = r.summary.length > 220 ? r.summary.slice(0, 217).replace(/\s+\S*$/, "") + "…" : r.summary;
      return [{
        location: r.location,
        title: highlight(r.title) +
          (summary ? '<span class="sf-search__say">' + highlight(summary) + "</span>" : "") +
          '<span class="sf-search__where">' + escapeHtml(r.section) + "</span>",
        text: "",
        score: r.score * 100,
        terms: found.terms
      }];
    });
    if (ask && query.trim()) {
      var item = [{
        location: ask + "&question=" + encodeURIComponent(query.trim()),
        title: "Ask marketing",
        text: found.good
          ? "Not what you need? Ask marketing: opens a question for them, pre-filled with “" + escapeHtml(query.trim()) + "”."
          : "No good answer for “" + escapeHtml(query.trim()) + "” yet. Ask marketing: opens a question for them, pre-filled with what you typed.",
        score: 0,
        terms: {}
      }];
      if (found.good) items.push(item); else items.unshift(item);
    }
    return items;
  }

  /* What the list shows when part of the index could not be fetched (a phone that lost its connection). */
  function unreachable(query) {
    return [[{
      location: "",
      title: "Search could not load",
      text: "Part of the search index did not arrive for “" + escapeHtml(query.trim()) +
        "” (no connection?). Type again to retry; the offline copy searches without a network.",
      score: 0,
      terms: {}
    }]];
  }

  /* Material's search.suggest: the word being typed, completed from the best result's question. */
  function suggestion(found, query) {
    var typed = /([\p{L}\p{N}]+)$/u.exec(query);
    if (!typed || !found.results.length) return [];
    var prefix = typed[1];
    var completion = (found.results[0].title.match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) {
      return w.length > prefix.length && w.toLowerCase().startsWith(prefix.toLowerCase());
    })[0];
    return completion ? [prefix + completion.slice(prefix.length)] : [];
  }

  var api = { create: create, toMaterial: toMaterial, suggestion: suggestion, unreachable: unreachable,
              words: words, stem: stem, withinOneEdit: withinOneEdit, adapt: adapt,
              STOP_WORDS: STOP_WORDS, TUNING: TUNING };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SalesfaqSearch = api;
})(typeof self !== "undefined" ? self : this);
