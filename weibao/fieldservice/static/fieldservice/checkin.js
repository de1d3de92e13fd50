// Check-in with the phone's location: when the form is sent, ask the browser for the position
// (at most a few seconds) and add it; without permission or a fix, check in without it.
(function () {
  "use strict";
  function attach(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.located === "1" || !navigator.geolocation) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.dataset.label = button.textContent; button.textContent += " …"; }
      var done = false;
      function send(position) {
        if (done) return;
        done = true;
        if (position && position.coords) {
          form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(6);
          form.querySelector("input[name=lon]").value = position.coords.longitude.toFixed(6);
        }
        form.dataset.located = "1";
        form.submit();
      }
      navigator.geolocation.getCurrentPosition(send, function () { send(null); },
        { enableHighAccuracy: true, timeout: 6000, maximumAge: 60000 });
      setTimeout(function () { send(null); }, 7000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-geolocate]").forEach(attach);
  });
})();
