/* salesfaq: what a rep does with an answer. Copy it (as plain text and as rich text for email), print it.
   Progressive enhancement: every page reads fine without this file. */
(function () {
  "use strict";

  /* Parts of an answer that never go to a customer: internal fields, the rep's own discovery questions,
     and page furniture. */
  var NOT_FOR_CUSTOMERS = ".sf-internal, .sf-badge, .sf-part--ask, .headerlink, .sf-actions, script, style";
  var BLOCKS = /^(P|DIV|H[1-6]|UL|OL|TABLE|BLOCKQUOTE|PRE|SECTION|FIGURE|DL)$/;

  var ICONS = {
    say: '<svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16"><path d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2Z"/></svg>',
    full: '<svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16"><path d="M19 21H8V7h11m0-2H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2m-3-4H4a2 2 0 0 0-2 2v14h2V3h12V1Z"/></svg>'
  };

  /* --- what is copied -------------------------------------------------------------------------- */

  /** A clean copy of `nodes` for a customer: internal parts removed, links absolute, no site classes. */
  function customerCopy(nodes) {
    var box = document.createElement("div");
    nodes.forEach(function (node) { box.appendChild(node.cloneNode(true)); });
    box.querySelectorAll(NOT_FOR_CUSTOMERS).forEach(function (el) { el.remove(); });
    box.querySelectorAll("*").forEach(function (el) {
      if (el.tagName === "A") {
        var href = el.href;  /* resolved against the page: links survive being pasted elsewhere */
        Array.from(el.attributes).forEach(function (a) { el.removeAttribute(a.name); });
        if (href) { el.setAttribute("href", href); }
        return;
      }
      Array.from(el.attributes).forEach(function (a) { el.removeAttribute(a.name); });
      if (el.tagName === "TABLE") { el.setAttribute("style", "border-collapse:collapse"); }
      if (el.tagName === "TD" || el.tagName === "TH") {
        el.setAttribute("style", "border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top");
      }
    });
    return box;
  }

  /** Readable plain text: blank lines between blocks, "- " and "1. " for lists, "text (url)" for links. */
  function plainText(node) {
    if (node.nodeType === Node.TEXT_NODE) { return node.nodeValue.replace(/\s+/g, " "); }
    if (node.nodeType !== Node.ELEMENT_NODE) { return ""; }
    var tag = node.tagName;
    if (tag === "BR") { return "\n"; }
    var inner = Array.from(node.childNodes).map(plainText).join("");
    if (tag === "A") {
      var href = node.getAttribute("href") || "";
      var label = inner.trim();
      return href && href !== label && !/^#/.test(href) ? label + " (" + href + ")" : inner;
    }
    if (tag === "LI") {
      var list = node.parentElement;
      var marker = list && list.tagName === "OL" ? (Array.from(list.children).indexOf(node) + 1) + ". " : "- ";
      return "\n" + marker + inner.trim().replace(/\n{2,}/g, "\n").replace(/\n/g, "\n   ") + "\n";
    }
    if (tag === "TR") {
      return "\n" + Array.from(node.children).map(function (cell) { return plainText(cell).trim(); }).join(" | ");
    }
    if (BLOCKS.test(tag)) { return "\n\n" + inner.trim() + "\n\n"; }
    return inner;
  }

  function asText(box) {
    return plainText(box).split("\n").map(function (line) { return line.replace(/[ \t]+$/, ""); }).join("\n")
      .replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }

  /* --- the clipboard ----------------------------------------------------------------------------- */

  function copyWithEvent(html, text) {
    function fill(event) {
      event.clipboardData.setData("text/html", html);
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
    }
    document.addEventListener("copy", fill);
    try { return document.execCommand("copy"); } finally { document.removeEventListener("copy", fill); }
  }

  /** Both flavours at once; the copy event covers plain http, where navigator.clipboard does not exist. */
  function writeClipboard(html, text) {
    if (window.isSecureContext && navigator.clipboard && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return navigator.clipboard.write([item]).then(function () { return true; },
        function () { return copyWithEvent(html, text); });
    }
    return Promise.resolve(copyWithEvent(html, text));
  }

  /* --- buttons on each entry ---------------------------------------------------------------------- */

  /** The elements of one entry: everything after its heading up to the next heading of its level. */
  function entryParts(heading) {
    var parts = [];
    for (var el = heading.nextElementSibling; el && !/^H[12]$/.test(el.tagName); el = el.nextElementSibling) {
      parts.push(el);
    }
    return parts;
  }

  function button(kind, label, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sf-copy sf-copy--" + kind;
    b.dataset.copy = kind;
    b.title = title;
    b.innerHTML = ICONS[kind] + '<span class="sf-copy__label"></span>';
    b.querySelector(".sf-copy__label").textContent = label;
    return b;
  }

  function addCopyButtons(heading) {
    if (heading.classList.contains("sf-entry--internal") || heading.dataset.sfReady) { return; }
    var parts = entryParts(heading);
    var say = parts.filter(function (el) { return el.matches(".sf-say:not(.sf-internal)"); })[0];
    var answer = parts.filter(function (el) { return el.matches(".sf-answer"); })[0];
    var sayText = say && say.querySelector(".sf-say__text");
    var full = answer && customerCopy([answer]);
    if (!sayText && !(full && full.textContent.trim())) { return; }
    heading.dataset.sfReady = "1";
    var bar = document.createElement("div");
    bar.className = "sf-actions";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Copy this answer");
    var status = document.createElement("span");
    status.className = "sf-actions__status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var timer;

    function copy(kind, label) {
      var box = kind === "say" ? customerCopy([sayText]) : customerCopy([answer]);
      var html = box.innerHTML.trim();
      return writeClipboard(html, asText(box)).then(function (ok) {
        status.textContent = ok ? "Copied " + label + ": paste it into your email or chat" : "Copy failed: select the text and copy it";
        bar.classList.toggle("sf-actions--copied", ok);
        clearTimeout(timer);
        timer = setTimeout(function () { status.textContent = ""; bar.classList.remove("sf-actions--copied"); }, 4000);
      });
    }

    if (sayText) {
      var b1 = button("say", "Copy “Say this”", "Copy the short answer, ready to paste");
      b1.addEventListener("click", function () { copy("say", "the short answer"); });
      bar.appendChild(b1);
    }
    if (full && full.textContent.trim()) {
      var b2 = button("full", "Copy full answer", "Copy the full answer with its links, for an email");
      b2.addEventListener("click", function () { copy("full", "the full answer"); });
      bar.appendChild(b2);
    }
    bar.appendChild(status);
    var anchor = say || answer;
    anchor.parentNode.insertBefore(bar, say ? say.nextSibling : answer);
  }

  /* --- print: everything expanded ----------------------------------------------------------------- */

  function expandForPrint() {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      d.dataset.sfPrintOpened = "1";
    });
  }

  function restoreAfterPrint() {
    document.querySelectorAll("details[data-sf-print-opened]").forEach(function (d) {
      d.open = false;
      delete d.dataset.sfPrintOpened;
    });
  }

  /* --- search: the rep's place in the results --------------------------------------------------- */

  /** Which answer a result opens: its link without `?h=` (the words to highlight, which follow the query). */
  function resultPlace(link) {
    var url = new URL(link.getAttribute("href"), location.href);
    return url.origin + url.pathname + url.hash;
  }

  /** The worker answers a query up to three times (by its words at once, then by meaning, then with the
      transformer), and each key typed is a new query: Material draws the result list anew each time, so the
      result a rep had reached with the arrow keys would lose the focus, and Enter would then open nothing.
      The same answer gets the focus back, wherever the new list puts it. */
  function keepSearchPlace() {
    var results = document.querySelector(".md-search-result");
    var toggle = document.getElementById("__search");
    if (!results || !toggle || results.dataset.sfKeepsPlace) { return; }
    results.dataset.sfKeepsPlace = "1";
    var selected = null;
    document.addEventListener("focusin", function (event) {
      var link = results.contains(event.target) && event.target.closest("a[href]");
      selected = link ? resultPlace(link) : null;  /* typing focuses the search box: no place kept */
    });
    document.addEventListener("pointerdown", function () { selected = null; });  /* a click or tap goes elsewhere */
    new MutationObserver(function () {
      var lost = !document.activeElement || document.activeElement === document.body;
      if (!selected || !lost || !toggle.checked) { return; }
      var links = results.querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        if (resultPlace(links[i]) === selected) { links[i].focus(); return; }
      }
    }).observe(results, { childList: true, subtree: true });
  }

  /* --- accessibility gaps in the theme's markup ---------------------------------------------------- */

  /** Name Material's search dialog, and let the keyboard reach (and scroll) a table wider than the screen. */
  function labelForAssistiveTech() {
    document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table, scrolls sideways");
    });
  }

  function init() {
    document.querySelectorAll("h2.sf-entry").forEach(addCopyButtons);
    labelForAssistiveTech();
    keepSearchPlace();
  }

  window.addEventListener("beforeprint", expandForPrint);
  window.addEventListener("afterprint", restoreAfterPrint);
  window.salesfaq = { customerCopy: customerCopy, asText: asText };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* Material's instant navigation swaps pages without a reload */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
