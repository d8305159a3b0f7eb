// Progressive enhancement of the insight charts: where Vega has loaded, draw each
// chart again as a live view (tooltips on hover, marks that link to their cases)
// in place of the server-rendered SVG, which stays as the fallback without JavaScript.
(function () {
  "use strict";
  if (typeof window.vega === "undefined") return;
  document.querySelectorAll("figure.chart[data-vega]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-vega"));
    var still = figure.querySelector(".chart-svg");
    if (!source || !still) return;
    var labels = (still.querySelector("svg") || still).getAttribute("aria-labelledby");
    var live = document.createElement("div");
    live.className = "chart-svg chart-live";
    live.setAttribute("role", "img");
    if (labels) live.setAttribute("aria-labelledby", labels);
    // Vega sets its own roles on its container: keep the text alternative on a wrapper.
    var canvas = document.createElement("div");
    live.appendChild(canvas);
    still.after(live);
    // Parsed to an expression tree and run by Vega's interpreter, so the page's
    // Content-Security-Policy needs no 'unsafe-eval'.
    var runtime = window.vega.parse(JSON.parse(source.textContent), null, { ast: true });
    var view = new window.vega.View(runtime, {
      renderer: "svg",
      container: canvas,
      hover: true,
      expr: window.vega.expressionInterpreter,
    });
    view.runAsync().then(function () {
      still.hidden = true;
      live.setAttribute("data-ready", "true");
    }).catch(function () {
      live.remove();
    });
  });
})();
