/* MM-LLMs Atlas: a `button[data-copy]` copies the text of the element whose id it names
   (e.g. a model's BibTeX entry), or of the first <code> inside it. The id sits on a wrapper:
   Material renumbers the ids of <pre> elements. Own code, no dependency. Without JavaScript the button stays
   hidden and the text can be selected by hand. */
(function () {
  "use strict";

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return fallback(text);
  }

  function setup(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    var label = button.textContent;
    button.hidden = false;
    button.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      var source = target.querySelector("code") || target;
      copy(source.textContent).then(function () {
        button.textContent = "Copied";
      }, function () {
        button.textContent = "Select the text to copy it";
      }).then(function () {
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), setup);
})();
