/* salesfaq: old links land. An entry whose id changed keeps an empty anchor with its old id just above its
   heading; here the address is rewritten to the current id so the link a rep copies next is the new one.
   A page an entry left lists it with data-moved-from="old-id"; a visit to that page#old-id goes on to
   the entry's new page. Without this file the old anchor still scrolls to the right place. */
(function () {
  "use strict";

  function wantedId() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return location.hash.slice(1);
    }
  }

  function land() {
    var id = wantedId();
    var here = id && document.getElementById(id);
    if (here && here.hasAttribute("data-moved-to")) {
      if (document.getElementById(here.getAttribute("data-moved-to"))) {
        location.replace("#" + here.getAttribute("data-moved-to"));  /* no new history entry; :target follows */
      }
      return;
    }
    if (here) {
      return;
    }
    var links = document.querySelectorAll("a[data-moved-from]");
    for (var i = 0; i < links.length; i++) {
      if (id && links[i].getAttribute("data-moved-from") === id) {
        location.replace(links[i].href);
        return;
      }
    }
    var fallback = document.querySelector("a[data-moved-default]");
    if (fallback) {
      location.replace(fallback.href);
    }
  }

  window.addEventListener("hashchange", land);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", land);
  } else {
    land();
  }
})();
