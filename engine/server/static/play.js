// The student's pages, enhanced: number keys pick a choice, a form is sent once, and the
// last choice's feedback takes the focus so a screen reader reads it first. The play forms (a
// choice, undo, the content note's Continue, the partner page's Begin) are sent with fetch()
// and the header X-BOP-Fetch: 1, which the server answers with the next page itself, once the
// change is committed: its <main> and title replace this page's, one request instead of two (a
// POST and the GET its redirect leads to). On any trouble the form is sent as a plain form instead.
// Everything works without this script.
(function () {
  "use strict";
  var FETCHED = { "/choose": true, "/undo": true, "/note": true, "/begin": true };
  var WAIT_MS = 20000; // then the form is sent plainly
  var busy = false;

  // Where a screen reader should be on a new page: the last choice's feedback (a live region
  // with a heading), or else the page's main heading.
  function focusStart(scroll) {
    var start = document.getElementById("feedback");
    if (!start) {
      start = document.querySelector("#main h1");
      if (start && !start.hasAttribute("tabindex")) { start.setAttribute("tabindex", "-1"); }
    }
    if (scroll) { window.scrollTo(0, 0); }
    if (start) { start.focus({ preventScroll: true }); }
  }
  var feedback = document.getElementById("feedback");
  if (feedback) { feedback.focus({ preventScroll: true }); }

  // The hidden field sendPlainly adds for the button pressed, taken out again: a page shown
  // again from the back-forward cache keeps it, and the field would then be sent twice.
  function dropPressed(form) {
    Array.prototype.forEach.call(form.querySelectorAll("input[data-pressed]"), function (input) {
      input.remove();
    });
  }

  // Send the form as the browser would, with the button pressed, to be answered with a 303.
  function sendPlainly(form, submitter) {
    dropPressed(form);
    if (submitter && submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = submitter.name;
      pressed.value = submitter.value;
      pressed.dataset.pressed = "1";
      form.appendChild(pressed);
    }
    form.dataset.sent = "1";
    HTMLFormElement.prototype.submit.call(form);
  }

  function setBusy(on) {
    busy = on;
    var main = document.getElementById("main");
    if (main) { main.setAttribute("aria-busy", on ? "true" : "false"); }
    Array.prototype.forEach.call(document.querySelectorAll("#main form button"), function (b) {
      if (on && !b.disabled) { b.disabled = true; b.dataset.busy = "1"; }
      if (!on && b.dataset.busy) { b.disabled = false; delete b.dataset.busy; }
    });
  }

  // The page the server answered, in place of this one; false if it is not a page to show.
  function show(html, address) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var main = next.getElementById("main");
    var here = document.getElementById("main");
    if (!main || !here) { return false; }
    here.replaceWith(document.importNode(main, true));
    document.title = next.title;
    document.documentElement.className = next.documentElement.className;
    document.body.className = next.body.className;
    history.replaceState(null, "", address);
    focusStart(true);
    return true;
  }

  function sendByFetch(form, submitter) {
    setBusy(true);
    function fallBack() {
      // Sent again as a plain form: if the change was made, the server says the form is out
      // of date and shows where the student is; it never makes it twice.
      setBusy(false);
      busy = true;
      if (document.contains(form)) {
        sendPlainly(form, submitter);
      } else {
        window.location.assign("/play"); // its page was already replaced: show the current one
      }
    }
    try {
      dropPressed(form);
      var data = new URLSearchParams(new FormData(form));
      if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
      // An answer that never comes (a network gone quiet) must not leave the page stuck.
      var stop = window.AbortController ? new AbortController() : null;
      var timer = stop ? setTimeout(function () { stop.abort(); }, WAIT_MS) : 0;
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-BOP-Fetch": "1" },
        signal: stop ? stop.signal : undefined
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.status !== 200 || type.indexOf("text/html") !== 0) { throw new Error("not a page"); }
        var address = response.headers.get("Content-Location") || response.url;
        return response.text().then(function (html) {
          clearTimeout(timer);
          if (!show(html, address)) { throw new Error("not a page"); }
          busy = false;
        });
      }).catch(fallBack);
    } catch (error) {
      fallBack();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (busy || form.dataset.sent) { event.preventDefault(); return; }
    var action = form.getAttribute("action");
    // A choice is the button pressed: without it (a browser that does not say which), the
    // browser sends the form itself.
    var pressed = event.submitter && event.submitter.name;
    if (window.fetch && window.URLSearchParams && window.DOMParser && FETCHED[action] &&
        (pressed || action !== "/choose")) {
      event.preventDefault();
      sendByFetch(form, event.submitter);
      return;
    }
    form.dataset.sent = "1";
  });
  // A page shown again from the browser's back-forward cache keeps its script's state: its
  // forms may be sent again (the server refuses a stale one and says so).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    busy = false;
    Array.prototype.forEach.call(document.forms, function (form) {
      delete form.dataset.sent;
      dropPressed(form);
    });
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
