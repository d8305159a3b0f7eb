// The share box's "Copy link" button. Without this script the button stays hidden and
// the link is plain selectable text; nothing here talks to another site.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (!field) return;
    // The words come from the page, in its language.
    var copiedText = button.getAttribute("data-said-copied") || "Copied.";
    var selectedText =
      button.getAttribute("data-said-selected") || "Selected: press Ctrl+C (or ⌘C) to copy.";
    button.hidden = false;
    function say(text, copied) {
      if (!status) return;
      status.textContent = text;
      if (copied) status.setAttribute("data-copied", "");
      else status.removeAttribute("data-copied");
    }
    function byHand() {
      field.focus();
      field.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      say(copied ? copiedText : selectedText, copied);
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(copiedText, true);
        }, byHand);
      } else {
        byHand();
      }
    });
  });
})();
