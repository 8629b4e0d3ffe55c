// Copy buttons on the pages for clinics (For clinics, Link cards). A button copies the text of the element named by
// data-copy-from, or (data-copy-link) the address of the link in its row.
// Buttons stay hidden where there is no clipboard.
(function () {
  "use strict";

  function setUp() {
    if (!(navigator.clipboard && window.isSecureContext)) return;
    var status = document.getElementById("copy-status");
    document.querySelectorAll("button[data-copy-from], button[data-copy-link]").forEach(function (button) {
      var label = button.firstChild;
      var original = label.nodeValue;
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = button.getAttribute("data-copy-from");
        var text = source ? document.getElementById(source).textContent
          : button.parentNode.querySelector("a[href]").getAttribute("href");
        navigator.clipboard.writeText(text).then(
          function () { report(button, label, original, "Copied", status); },
          function () { report(button, label, original, "Copy failed", status); }
        );
      });
    });
  }

  function report(button, label, original, message, status) {
    label.nodeValue = message;
    if (status) status.textContent = message === "Copied" ? "Copied to the clipboard." : "Could not copy; select the text instead.";
    window.setTimeout(function () { label.nodeValue = original; }, 2000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
