// peerladder: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Filter panels (<details data-open-wide>) stay folded on phones, where the results
  // come first, and open on wide screens, where they sit beside the results.
  var wide = window.matchMedia("(min-width: 52rem)");
  function place() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      if (!panel.dataset.touched) panel.open = wide.matches;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    place();
    document.querySelectorAll("details[data-open-wide] > summary").forEach(function (summary) {
      summary.addEventListener("click", function () { summary.parentElement.dataset.touched = "1"; });
    });
    if (wide.addEventListener) wide.addEventListener("change", place);
  });
})();
