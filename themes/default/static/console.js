// Guichet console: live updates and keyboard shortcuts. Every page works
// without this file; it only saves a reload and a few clicks.
(function () {
  "use strict";
  var live = document.body.getAttribute("data-live");
  var isList = live && live.indexOf("?t=") < 0;
  var etag = null, busy = false;
  function typing() {
    var a = document.activeElement;
    if (a && (a.tagName === "TEXTAREA" || a.tagName === "INPUT" || a.tagName === "SELECT")) return true;
    var t = document.querySelectorAll("textarea");
    for (var i = 0; i < t.length; i++) if (t[i].value) return true;
    return false;
  }
  function changed() {
    // The list redraws itself unless the agent is typing; a ticket view only
    // offers a reload so no draft is ever lost.
    if (isList && !typing()) { location.reload(); return; }
    document.getElementById("live-note").hidden = false;
  }
  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var h = etag ? { "If-None-Match": etag } : {};
    fetch(live, { headers: h, credentials: "same-origin", cache: "no-store" }).then(function (r) {
      var e = r.headers.get("ETag");
      if (r.status === 200 && e) {
        if (etag && e !== etag) changed();
        etag = e;
      }
    }).catch(function () {}).then(function () { busy = false; });
  }
  if (live && window.fetch) {
    poll();
    setInterval(poll, 10000);
    document.addEventListener("visibilitychange", poll);
  }
  // Shortcuts: "/" search, "r" reply, "j"/"k" next/previous ticket in the list.
  var row = -1;
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing() && ev.key !== "Escape") return;
    var q = document.getElementById("q"), body = document.getElementById("body");
    if (ev.key === "/" && q) { ev.preventDefault(); q.focus(); }
    else if (ev.key === "r" && body) { ev.preventDefault(); body.focus(); }
    else if (ev.key === "j" || ev.key === "k") {
      var links = document.querySelectorAll(".tickets td.subj a");
      if (!links.length) return;
      row = Math.max(0, Math.min(links.length - 1, row + (ev.key === "j" ? 1 : -1)));
      links[row].focus();
    }
  });
})();
