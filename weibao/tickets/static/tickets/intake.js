// The phone intake form (tickets/new.html), keyboard first:
//   - Enter in a box marked data-enter-submits sends the form (Shift+Enter: a new line);
//   - what the caller lookup fills never replaces the box the user is typing in;
//   - after a caller is picked from several, the focus moves to the next box to fill
//     (the lookup names it in data-focus).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (!(el instanceof Element) || !el.matches("[data-enter-submits]") || !el.form) return;
    event.preventDefault();
    el.form.requestSubmit();
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (target === document.activeElement && target.value) event.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var matches = document.querySelector("#caller-matches[data-focus]");
    if (!matches) return;
    var next = document.querySelector(matches.dataset.focus);
    matches.removeAttribute("data-focus");
    if (next) next.focus();
  });
})();
