// Guide contents start folded, so a phone reader sees the page's heading and text first. Where
// the screen is wide enough to show them without pushing the text down, they open.
document.querySelectorAll(".guide-contents details").forEach(function (contents) {
  if (window.matchMedia("(min-width: 45em)").matches) contents.open = true;
});
