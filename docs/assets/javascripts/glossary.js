// Glossary tooltips (mkdocs-material's content.tooltips) open on hover and focus.
// WCAG 1.4.13 asks that such content can be dismissed without moving focus or the
// pointer: Escape hides the open tooltip. Material builds a new tooltip element
// each time one opens, so the next hover or focus shows it again.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll('.md-tooltip2[role="tooltip"]').forEach(function (tip) {
    tip.hidden = true;
  });
});
