// Glossary tooltips (mkdocs-material's content.tooltips) open on hover and focus. WCAG 1.4.13:
// - Dismissible: Escape hides the open tooltip without moving focus or the pointer. Material
//   builds a new tooltip element each time one opens, so the next hover or focus shows it again.
// - Hoverable: the pointer may move from a term onto its tooltip and stay there (glossary.css lets
//   the tooltip take the pointer). Material closes the tooltip the moment the pointer leaves the
//   term, before it can cross the gap; that leave is held back until the pointer has been off both
//   the term and its tooltip for a moment, then given to Material.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll('.md-tooltip2[role="tooltip"]').forEach(function (tip) {
    tip.hidden = true;
  });
});

(function () {
  var GRACE = 300; // ms to cross the gap between a term and its tooltip
  var ours = new WeakSet();
  var timer = null;

  function tipOf(term) {
    var id = term.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function leaveLater(term) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var tip = tipOf(term);
      if (term.matches(":hover") || (tip && tip.matches(":hover"))) return;
      var leave = new MouseEvent("mouseleave");
      ours.add(leave);
      term.dispatchEvent(leave);
    }, GRACE);
  }

  // Capturing at the document runs before Material's own listener on the term.
  document.addEventListener("mouseleave", function (event) {
    var element = event.target;
    if (ours.has(event) || !(element instanceof Element)) return;
    if (element.matches("abbr[aria-describedby]") && tipOf(element)) {
      event.stopImmediatePropagation();
      leaveLater(element);
    } else if (element.matches('.md-tooltip2[role="tooltip"] > .md-tooltip2__inner')) {
      var term = document.querySelector('abbr[aria-describedby="' + element.parentElement.id + '"]');
      if (term) leaveLater(term);
    }
  }, true);
})();
