/* Skills Roadmap: the filter drawer below Bootstrap's lg breakpoint, in the browser.
   Bootstrap's responsive offcanvas-lg styles it; these functions open and close it (no
   Bootstrap JavaScript is loaded), keep the focus in it while it is open and close it on
   Escape. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  skillsRoadmap: Object.assign({}, (window.dash_clientside || {}).skillsRoadmap, {
    toggleFilterDrawer: function () {
      var opening = window.dash_clientside.callback_context.triggered_id === "filter-drawer-open";
      window.setTimeout(function () {
        var target = document.getElementById(opening ? "filter-drawer-close" : "filter-drawer-open");
        if (target) {
          target.focus();
        }
      }, 0);
      var base = "offcanvas-lg offcanvas-start filter-drawer";
      return opening
        ? [base + " show", "dialog", "true", "true", false]
        : [base, null, null, "false", true];
    }
  })
});

document.addEventListener("keydown", function (event) {
  var drawer = document.getElementById("filter-drawer");
  if (event.key === "Escape" && drawer && drawer.classList.contains("show")) {
    var close = document.getElementById("filter-drawer-close");
    if (close) {
      close.click();
    }
  }
});
