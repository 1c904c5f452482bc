// Loads the ERP part of the customer panel once the ticket view is shown,
// so a slow or dead ERP never delays the page. Without this script the
// panel's link opens the same data as a page.
(function () {
  "use strict";
  var box = document.getElementById("erp");
  var link = box && box.querySelector("a[data-part]");
  if (!link || !window.fetch) return;
  fetch(link.getAttribute("href") + "?part=1", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
    if (r.status !== 200) throw new Error("ERP panel: HTTP " + r.status);
    return r.text();
  }).then(function (html) {
    // The fragment is our own server-rendered, escaped template.
    box.innerHTML = html;
  }).catch(function () {});
})();
