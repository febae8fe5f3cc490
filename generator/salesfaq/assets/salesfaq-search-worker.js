/* salesfaq search worker: speaks Material for MkDocs' search worker protocol (SETUP → READY, QUERY →
 * RESULT), so Material's search box, result list and keyboard handling stay as they are, while results
 * come from salesfaq's engine, one per entry. Also runs inside Material's iframe-worker shim for the
 * offline (file://) build, where fetch() is not allowed and data files come as scripts instead. */
(function () {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var script = typeof document !== "undefined" && document.currentScript ? document.currentScript.src : self.location.href;
  var here = script.split("?")[0];
  var siteRoot = new URL("../../", here);
  var offline = self.location.protocol === "file:";
  var INDEX = "search/salesfaq/", TOKENS = "assets/salesfaq/vectors/", MODEL = "assets/salesfaq/transformer/";

  function imports(urls) {
    return Promise.resolve(importScripts.apply(self, urls));  /* a Promise in the iframe shim */
  }

  function bytes(base64) {
    var binary = atob(base64), out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out.buffer;
  }

  /* One data file as JSON, text or bytes: fetched online (`version` in its URL, so the browser keeps it
   * for good; none: revalidated each time; `fresh`: past every cache), a script offline. */
  function load(path, kind, version, fresh) {
    if (offline) {
      return imports([new URL(path + ".js", siteRoot).href]).then(function () {
        var value = (self.__salesfaq || {})[path];
        return kind === "bytes" ? bytes(value) : kind === "json" ? JSON.parse(value) : value;
      });
    }
    var url = new URL(path, siteRoot);
    if (version) url.searchParams.set("v", version);
    if (fresh) url.searchParams.set("fresh", Date.now());
    return fetch(url, version ? {} : { cache: fresh ? "reload" : "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return kind === "json" ? response.json() : kind === "text" ? response.text() : response.arrayBuffer();
    });
  }

  var engine = null, lastQuery = null, askedAt = 0, shownGood = true, suggest = false, vectors = null, typed = false;
  var RESHUFFLE_MS = 2000;  /* after this, results a rep may be reading are not reordered under them */
  var AFTER_DRAW_MS = 100;
  var transformer = null, indexMeta = null, deepTimer = null;
  var PAUSE_MS = 120;  /* the transformer ranks a query again once the rep has stopped typing this long */
  /* The site ships this file joined after salesfaq-search.js and salesfaq-semantic.js (search.worker_script):
   * one fetch, and the index's first file is asked for as soon as the worker runs. */
  function makeEngine(data) {
    indexMeta = data;
    engine = self.SalesfaqSearch.create(data, function (path, kind) { return load(INDEX + path, kind, data.version); });
  }
  var ready = load(INDEX + "index.json", "json").then(makeEngine);

  /* A piece of a newer build than our index.json (a deploy while the page was open, or a host that served a
   * stale index.json): read index.json again, past the caches, and start over with a new engine. */
  var refreshing = null;
  function refresh() {
    if (!refreshing) {
      refreshing = load(INDEX + "index.json", "json", null, true).then(function (data) {
        makeEngine(data);
        vectors = null;
        transformer = null;
      });
      refreshing.then(function () { refreshing = null; }, function () { refreshing = null; });
    }
    return refreshing;
  }

  function answer(query, again, deep) {
    return engine.run(query, undefined, deep).then(function (found) {
      if (query !== lastQuery) return;  /* the rep typed on: only the latest query is shown */
      shownGood = found.good;
      var data = { items: self.SalesfaqSearch.toMaterial(found, query, engine.ask) };
      if (suggest) data.suggest = self.SalesfaqSearch.suggestion(found, query);
      postMessage({ type: RESULT, data: data });
      /* The rest follows once the page has drawn this (Material also sends an empty query as a page opens). */
      if (query.trim() && !vectors) setTimeout(loadVectors, AFTER_DRAW_MS);
      if (!deep && query.trim() && engine.hasTransformer()) {
        clearTimeout(deepTimer);
        deepTimer = setTimeout(function () { if (query === lastQuery) answer(query, false, true); }, PAUSE_MS);
      }
    }, function (error) {
      if (error && error.stale && !again && !offline) return refresh().then(function () { return answer(query, true); });
      console.error("salesfaq: search failed:", error);
      if (query === lastQuery) postMessage({ type: RESULT, data: { items: self.SalesfaqSearch.unreachable(query) } });
    });
  }

  /* Meaning comes second: the keyword index answers first; the vectors (a few MB, cached by the browser)
   * are fetched once the rep opens the search box or has a first result, without slowing it down, and the
   * last query is answered again with them. All documents come too, so that later keys wait for no fetch. */
  function loadVectors() {
    if (vectors) return;
    engine.loadDocs().catch(function (error) { console.warn("salesfaq: documents come a few at a time:", error); });
    vectors = Promise.all([
      load(TOKENS + "vocab.txt", "text"), load(TOKENS + "vectors.i8", "bytes"), load(TOKENS + "meta.json", "json"),
      engine.load("vectors.i8", "bytes")
    ]).then(function (parts) {
      engine.setVectors(self.SalesfaqSemantic.create(parts[0], parts[1], parts[2]), parts[3]);
      /* Answered again with meaning: soon after it was typed, or when it found nothing good by its words. */
      if (lastQuery !== null && (Date.now() - askedAt < RESHUFFLE_MS || !shownGood)) answer(lastQuery);
      if (indexMeta.transformer && (offline || !slowConnection())) loadTransformer();
    }).catch(function (error) {
      console.warn("salesfaq: search by meaning is off for now:", error);
      vectors = null;  /* tried again after the next result */
    });
  }

  /* A phone on a slow connection (the browser's estimate: 2G) or with Data Saver on keeps the instant results:
   * the transformer is 15 MB. */
  function slowConnection() {
    var connection = self.navigator && self.navigator.connection;
    return !!connection && (!!connection.saveData || /2g$/.test(connection.effectiveType || ""));
  }

  /* The transformer comes third, on a site that ships it: the model (15 MB gzipped, kept by the browser under
   * its version) once the token vectors are in; from then on each query is ranked again by it when the rep
   * pauses (answer). */
  function loadTransformer() {
    if (transformer) return;
    var meta = indexMeta.transformer;
    transformer = Promise.all([
      load(MODEL + "vocab.txt", "text", meta.model), load(MODEL + "model.i8", "bytes", meta.model),
      load(MODEL + "model.json", "json", meta.model), engine.load("transformer.i8", "bytes")
    ]).then(function (parts) {
      engine.setVectors(self.SalesfaqTransformer.create(parts[0], parts[1], parts[2]), parts[3], "transformer");
      if (lastQuery !== null && lastQuery.trim() && (Date.now() - askedAt < RESHUFFLE_MS || !shownGood)) {
        answer(lastQuery, false, true);
      }
    }).catch(function (error) {
      /* Not fetched again on this page (it is large): the instant results stay; the next page tries again. */
      console.warn("salesfaq: the transformer is off on this page:", error);
    });
  }

  addEventListener("message", function (event) {
    var message = event.data;
    if (message.type === SETUP) {
      suggest = !!(message.data && message.data.options && message.data.options.suggest);
      ready.then(function () {
        postMessage({ type: READY });
        if (offline) loadVectors();  /* nothing to download from a local copy: be ready before the first key */
      }, function (error) { console.error("salesfaq: search index failed to load:", error); });
    } else if (message.type === "salesfaq:warm") {
      /* The page: the rep has put the cursor in the search box. If they type at once, the first query's
       * pieces go first and the vectors follow its result (answer); otherwise they start shortly. */
      setTimeout(function () { if (!lastQuery && !typed) ready.then(loadVectors); }, 300);
    } else if (message.type === "salesfaq:typing") {
      /* The page: the rep typed before Material sent its first query (Material sets itself up first). Search
       * now for the pieces that query needs and let the answer go: Material's query then finds them fetched
       * or on their way. Once Material's queries come, they alone count. */
      if (lastQuery === null && String(message.data).trim()) {
        typed = true;
        ready.then(function () { return engine.run(String(message.data)); }).catch(function () {});
      }
    } else if (message.type === QUERY) {
      lastQuery = message.data;
      askedAt = Date.now();
      ready.then(function () { answer(message.data); });
    }
  });
})();
