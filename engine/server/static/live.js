// The teacher's pages update by themselves: the live part is fetched again every two seconds
// (and at once when the tab comes back into view). Without this script, the page reloads
// itself every five seconds (a <noscript> refresh), and a reload always works.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var url = live.getAttribute("data-live");
  var busy = false;
  // A screen reader hears the class's numbers when they change (who joined, is playing, has
  // finished), not the whole region every two seconds.
  var status = document.getElementById("live-status");
  function summary() {
    var counts = live.querySelector("[data-summary]");
    return counts ? counts.getAttribute("data-summary") : "";
  }
  var said = summary();
  function announce() {
    var now = summary();
    if (status && now && now !== said) { status.textContent = now; }
    said = now;
  }
  function refresh() {
    if (busy || document.hidden) { return; }
    if (live.contains(document.activeElement) && document.activeElement !== document.body) { return; }
    busy = true;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && html !== live.innerHTML) { live.innerHTML = html; announce(); }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  setInterval(refresh, 2000);
  document.addEventListener("visibilitychange", refresh);
})();
