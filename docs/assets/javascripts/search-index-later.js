// A first visit without a search should not download the search index (search/search_index.json,
// the largest file after the theme's own). The theme asks for it as the page loads; this holds
// that one request, unsent, until the reader opens search, then sends it unchanged, so results
// are the same. It runs before the theme's script (overrides/main.html) to see the request made.
// Tests: tests/test_phone.py and tests/test_search.py.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var released = false;

  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndexLater = INDEX.test(new URL(String(url), location.href).pathname);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (released || !request.searchIndexLater) return send.apply(request, args);
    held.push(function () { send.apply(request, args); });
  };

  // A search link (?q=) opens search at once; a result's link (?h=) highlights the words it found.
  var params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) release();
  // Every way into search: the box gets focus (click, tap, Tab, or the "/" "s" "f" keys), the
  // search toggle is switched on, or a pointer goes down on the search button (a head start).
  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".md-search")) release();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) release();
  }, true);
  document.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest('label[for="__search"], .md-search')) release();
  }, true);
})();
