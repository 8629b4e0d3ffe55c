"use strict";
/*
 * Stands in for mkdocs-material's search worker so that a visit without a search does not
 * download the search engine (lunr, about 12 KiB compressed). The page sends the index here
 * when the reader opens search (search-index-later.js holds its download until then); this
 * script keeps it, tells the page search is ready and answers the empty query. The first real query loads the theme's worker (named after "#" in this
 * script's URL, in the same folder), hands it the kept index, waits for it to be ready, then
 * lets it answer that query and every message after.
 *
 * Message types are mkdocs-material 9's search worker protocol. If a theme upgrade changes
 * them, the browser tests in tests/test_search.py fail.
 */
(() => {
  const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  const engine = decodeURIComponent(location.hash.slice(1));
  const send = self.postMessage.bind(self);
  const replay = data => self.dispatchEvent(new MessageEvent("message", { data }));
  let setup = null, state = "waiting"; // waiting -> loading -> ready
  const queue = [];

  // The theme's worker replies with the global postMessage: its READY is not news to the page.
  self.postMessage = message => {
    if (state === "loading" && message && message.type === READY) {
      state = "ready";
      queue.splice(0).forEach(replay);
    } else {
      send(message);
    }
  };

  // Registered first, so it sees each message from the page before the theme's worker does.
  self.addEventListener("message", event => {
    if (!event.isTrusted || state === "ready") return; // a replay, or the theme's worker's turn
    event.stopImmediatePropagation();
    const { type, data } = event.data;
    if (type === SETUP) {
      setup = event.data;
      send({ type: READY });
    } else if (type === QUERY && state === "waiting" && !String(data).trim()) {
      send({ type: RESULT, data: { items: [] } });
    } else {
      queue.push(event.data);
      if (state === "waiting") {
        state = "loading";
        try {
          importScripts(engine);
        } catch (error) { // offline for a moment: the next keystroke tries again
          state = "waiting";
          queue.length = 0;
          throw error;
        }
        replay(setup);
      }
    }
  });
})();
