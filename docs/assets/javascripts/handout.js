// "Print this handout": the button ships hidden, so readers without JavaScript never meet a dead control.
document.querySelectorAll("button[data-print-page]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
