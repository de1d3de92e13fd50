// Live countdowns: every element with data-due (ISO 8601) shows the time left or overdue.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function render(el, now) {
    var due = Date.parse(el.dataset.due);
    if (isNaN(due)) return;
    var seconds = Math.round((due - now) / 1000);
    var late = seconds < 0;
    seconds = Math.abs(seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var lang = document.documentElement.lang || "zh-hans";
    var zh = lang.indexOf("zh") === 0;
    var word = zh ? (late ? "超时" : "剩余") : (late ? "overdue" : "left");
    if (h >= 24) {  // a day or more: days and hours, as the server's |countdown writes it
      var d = Math.floor(h / 24), dh = h % 24;
      el.textContent = word + " " + (zh ? d + " 天 " + dh + " 小时" : d + " d " + dh + " h");
    } else {
      el.textContent = word + " " + h + ":" + pad(m) + ":" + pad(s);
    }
    el.classList.toggle("late", late);
    el.classList.toggle("soon", !late && seconds < 900);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) { render(el, now); });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
})();

// Behaviour that templates ask for with data- attributes (the Content-Security-Policy allows
// no inline scripts or on…= handlers):
//   <select data-autosubmit>            submits its form when the choice changes;
//   <button data-clear="#selector">     empties the element the selector names.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof Element && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-clear]") : null;
    if (!button) return;
    var target = document.querySelector(button.dataset.clear);
    if (target) target.innerHTML = "";
  });
})();

// The grouped main menu (<details> dropdowns): one group open at a time; a click elsewhere or
// Escape closes it.
(function () {
  "use strict";
  function groups() { return document.querySelectorAll("details.navgroup[open]"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!(opened instanceof Element) || !opened.matches("details.navgroup") || !opened.open) return;
    groups().forEach(function (other) { if (other !== opened) other.open = false; });
  }, true);
  document.addEventListener("click", function (event) {
    var inside = event.target instanceof Element ? event.target.closest("details.navgroup") : null;
    groups().forEach(function (group) { if (group !== inside) group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") groups().forEach(function (group) { group.open = false; });
  });
})();
