// CivicBridge exchange pages: the print button, row forms loaded in place, lazy forms.
// Everything works without it. (The type-ahead combobox is lookup.js.)

// The print button (the group itinerary): a button with data-print prints the page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var print = event.target.closest ? event.target.closest("[data-print]") : null;
    if (print) window.print();
  });
})();

// "Edit" and "Move" on the exchange page's rows, without per-row HTMX attributes (the page
// stays small): a link with data-into="<id>" loads its form (an HTMX GET of its href) into the
// element with that id. Without JavaScript the link opens the form as a page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-into]") : null;
    if (!link || !window.htmx) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var target = document.getElementById(link.getAttribute("data-into"));
    if (!target) return;
    event.preventDefault();
    window.htmx.ajax("GET", link.getAttribute("href"), { source: link, target: target, swap: "innerHTML" });
  });
})();

// Forms behind a disclosure (exchanges/includes/lazy_form.html, a forum's edit panel): when a
// <details> opens, each a[data-lazy] directly in it is replaced by the form at its href.
(function () {
  "use strict";
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.open || !details.querySelectorAll || !window.htmx) return;
    details.querySelectorAll("a[data-lazy]").forEach(function (link) {
      if (link.closest("details") !== details) return;
      link.removeAttribute("data-lazy");
      link.setAttribute("aria-busy", "true");
      window.htmx.ajax("GET", link.getAttribute("href"), { source: link, target: link, swap: "outerHTML" });
    });
  }, true);
})();
