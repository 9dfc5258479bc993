/* Skills Roadmap: name the keyboard focus target of Dash's dropdowns.
   Dash 4 gives each dropdown a focusable input marked aria-hidden, so keyboard users land on
   an element screen readers cannot see (axe: aria-hidden-focus). Expose it as the dropdown's
   combobox instead, named after the dropdown's label. */
(function () {
  function label(input) {
    var column = input.closest(".col, [class*='col-']");
    var text = column && column.querySelector("label");
    return text ? text.textContent.trim() : "";
  }
  function name(root) {
    root.querySelectorAll("input.dash-dropdown-focus-target[aria-hidden]").forEach(function (input) {
      input.removeAttribute("aria-hidden");
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-haspopup", "listbox");
      input.setAttribute("aria-expanded", "false");
      var text = label(input);
      if (text) {
        input.setAttribute("aria-label", text);
      }
    });
  }
  new MutationObserver(function () {
    name(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
