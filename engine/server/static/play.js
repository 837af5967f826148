// The student's pages, enhanced: number keys pick a choice, a form is sent once, and the
// last choice's feedback takes the focus so a screen reader reads it first. Everything works
// without this script.
(function () {
  "use strict";
  var feedback = document.getElementById("feedback");
  if (feedback) { feedback.focus({ preventScroll: true }); }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
  // A page shown again from the browser's back-forward cache keeps its script's state: its
  // forms may be sent again (the server refuses a stale one and says so).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.forms, function (form) { delete form.dataset.sent; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) { return; }
    if (!/^[1-9]$/.test(event.key)) { return; }
    var button = document.querySelector('#choices button[data-key="' + event.key + '"]');
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
})();
