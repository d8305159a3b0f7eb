// The insight charts are drawn on the server as SVG and work without this script:
// linked marks are links, every data mark carries its description (aria-label).
// This script adds what a static picture cannot: a tooltip on hover, on keyboard
// focus and on tap, and a place in the tab order for marks that are not links.
// On a touch screen the first tap on a linked mark shows its tooltip (with a link);
// a second tap on the same mark follows it. Escape closes the tooltip.
(function () {
  "use strict";
  var tip = null;
  var tipText = null;
  var tipLink = null;
  var tapped = null; // the mark whose tooltip the last tap opened
  var lastPointer = "mouse";

  function tooltip() {
    if (tip) return tip;
    tip = document.createElement("div");
    tip.className = "chart-tooltip";
    tip.hidden = true;
    // The mark itself is already labelled for assistive technology; the tooltip
    // repeats that label for the eye, so it stays out of the accessibility tree.
    tip.setAttribute("aria-hidden", "true");
    tipText = document.createElement("span");
    tipLink = document.createElement("a");
    tipLink.className = "chart-tooltip-link";
    // The link's word comes from the page, in its language (web/insights/_figure.html).
    var labelled = document.querySelector("[data-tooltip-open]");
    tipLink.textContent = labelled ? labelled.getAttribute("data-tooltip-open") : "Open";
    tipLink.tabIndex = -1;
    tip.appendChild(tipText);
    tip.appendChild(tipLink);
    document.body.appendChild(tip);
    return tip;
  }

  function markOf(node) {
    if (!node || !node.closest) return null;
    if (!node.closest(".chart-svg")) return null;
    if (node.classList && node.classList.contains("chart-mark")) return node;
    var link = node.closest("a");
    return link ? link.querySelector(".chart-mark") : null;
  }

  function hrefOf(mark) {
    var link = mark.closest("a");
    if (!link) return null;
    return link.getAttribute("href") || link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
  }

  function show(mark) {
    var box = tooltip();
    var href = hrefOf(mark);
    tipText.textContent = mark.getAttribute("aria-label") || "";
    tipLink.hidden = !href;
    if (href) tipLink.href = href;
    box.hidden = false;
    var rect = mark.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = rect.left + rect.width / 2 - width / 2;
    left = Math.max(4, Math.min(left, document.documentElement.clientWidth - width - 4));
    var top = rect.bottom + 8;
    if (top + box.offsetHeight > window.innerHeight && rect.top > box.offsetHeight + 8) {
      top = rect.top - box.offsetHeight - 8;
    }
    box.style.left = left + window.scrollX + "px";
    box.style.top = top + window.scrollY + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    tapped = null;
  }

  function prepare(svg) {
    // Linked marks are reached through their links; the others get a place in the tab order.
    svg.querySelectorAll(".chart-mark").forEach(function (mark) {
      if (!mark.closest("a")) mark.setAttribute("tabindex", "0");
    });
  }

  document.querySelectorAll(".chart-svg svg").forEach(prepare);

  // A chart's narrow layout is fetched only where it shows (the page holds the wide one).
  var narrowScreen = window.matchMedia("(max-width: 59.99rem)");
  function loadNarrow() {
    if (!narrowScreen.matches) return;
    document.querySelectorAll(".chart-narrow[data-src]").forEach(function (box) {
      var source = box.getAttribute("data-src");
      box.removeAttribute("data-src");
      fetch(source, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (svg) {
          box.innerHTML = svg;
          var drawn = box.querySelector("svg");
          if (!drawn) return;
          prepare(drawn);
          box.closest("figure").classList.add("chart-narrow-ready");
        })
        .catch(function () {
          box.setAttribute("data-src", source); // the wide chart stays; try again later
        });
    });
  }
  loadNarrow();
  narrowScreen.addEventListener("change", loadNarrow);

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    if (tip && !tip.contains(event.target) && !markOf(event.target)) hide();
  });
  document.addEventListener("mouseover", function (event) {
    if (lastPointer !== "mouse") return;
    var mark = markOf(event.target);
    if (mark) show(mark);
  });
  document.addEventListener("mouseout", function (event) {
    if (lastPointer !== "mouse") return;
    if (markOf(event.target) && !markOf(event.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) show(mark);
    else if (!tip || !tip.contains(event.target)) hide();
  });
  document.addEventListener("click", function (event) {
    var mark = markOf(event.target);
    if (!mark) return;
    // A click from the keyboard (Enter on a link) has no pointer: it simply follows.
    if (event.detail !== 0 && lastPointer !== "mouse" && tapped !== mark) {
      // First tap: show what the mark is before following it.
      event.preventDefault();
      show(mark);
      tapped = mark;
    } else if (!hrefOf(mark)) {
      show(mark);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  window.addEventListener("resize", hide);
})();
