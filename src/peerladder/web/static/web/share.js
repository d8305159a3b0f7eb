// The share box's "Copy link" button. Without this script the button stays hidden and
// the link is plain selectable text; nothing here talks to another site.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (!field) return;
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
      say(copied ? "Copied." : "Selected: press Ctrl+C (or ⌘C) to copy.", copied);
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("Copied.", true);
        }, byHand);
      } else {
        byHand();
      }
    });
  });
})();
