// Sylva's one addition to the Django admin's scripts (loaded by templates/admin/base_site.html).
// The filter_horizontal widget (Django's SelectFilter2.js) draws its magnifier as a <span> with
// an aria-label, which ARIA forbids on an element without a role (axe: aria-prohibited-attr):
// the icon is an image, so it gets role="img" and its label is read as the search box's name.
"use strict";
(function () {
  function name(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  // SelectFilter2 draws its widgets on the window's load event, after this script has run.
  new MutationObserver(function () { name(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () { name(document); });
})();
