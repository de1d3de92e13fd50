// Signature pad: draw with a finger, pen or mouse (pointer events) on a canvas; on submit the
// drawing goes into the form's hidden "signature" field as a PNG data URI. No libraries.
(function () {
  "use strict";

  function setup(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var field = form.querySelector("input[name=signature]");
    var hint = form.querySelector("[data-signature-hint]");
    if (!canvas || !field) return;
    var ctx = canvas.getContext("2d");
    var inked = false, drawing = false, last = null;

    function resize() {
      // Match the canvas's pixels to its size on screen (sharp on high-density phones).
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.round(rect.width * ratio);
      canvas.height = Math.round(rect.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.6;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      clear();
    }

    function clear() {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
      inked = false;
      field.value = "";
      canvas.classList.remove("inked");
    }

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fillStyle = "#111";
      ctx.fill();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!events.length) events = [event];
      events.forEach(function (e) {
        var p = point(e);
        ctx.beginPath();
        ctx.moveTo(last.x, last.y);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
        last = p;
      });
      inked = true;
      canvas.classList.add("inked");
      if (hint) hint.hidden = true;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });

    var clearButton = form.querySelector("[data-signature-clear]");
    if (clearButton) clearButton.addEventListener("click", clear);

    form.addEventListener("submit", function (event) {
      if (!inked) {
        event.preventDefault();
        if (hint) hint.hidden = false;
        canvas.focus();
        return;
      }
      field.value = canvas.toDataURL("image/png");
    });

    resize();
    var width = canvas.getBoundingClientRect().width;
    window.addEventListener("resize", function () {
      // Only a real change of width (rotating the phone) resets the pad, not the keyboard.
      var now = canvas.getBoundingClientRect().width;
      if (Math.abs(now - width) > 1 && !inked) { width = now; resize(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-signature-form]").forEach(setup);
  });
})();
