// CivicBridge: the type-ahead combobox of the directory's LookupField
// (civicbridge/directory/widgets.py, templates/directory/widgets/lookup.html), on every page.
// Everything works without it: the typed name is then resolved on the server.
(function () {
  "use strict";
  var timers = new WeakMap();
  var controllers = new WeakMap();

  function box(el) { return el && el.closest ? el.closest(".lookup") : null; }
  function list(lookup) { return lookup.querySelector(".lookup__list"); }
  function input(lookup) { return lookup.querySelector(".lookup__input"); }

  function close(lookup) {
    var ul = list(lookup);
    ul.hidden = true;
    ul.innerHTML = "";
    input(lookup).setAttribute("aria-expanded", "false");
    input(lookup).removeAttribute("aria-activedescendant");
  }

  function choose(lookup, option) {
    var id = option.getAttribute("data-id");
    var label = option.getAttribute("data-label");
    var text = input(lookup);
    if (lookup.hasAttribute("data-multiple")) {
      var chosen = lookup.querySelector(".lookup__chosen");
      if (!chosen.querySelector('input[value="' + id + '"]')) {
        var li = document.createElement("li");
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = lookup.getAttribute("data-name");
        hidden.value = id;
        var span = document.createElement("span");
        span.textContent = label;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "lookup__remove";
        remove.setAttribute("aria-label", "× " + label);
        remove.textContent = "×";
        li.appendChild(hidden);
        li.appendChild(span);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(remove);
        chosen.appendChild(li);
      }
      text.value = "";
    } else {
      lookup.querySelector(".lookup__id").value = id;
      text.value = label;
      text.setAttribute("data-chosen-label", label);
    }
    close(lookup);
    text.focus();
  }

  function render(lookup, results) {
    var ul = list(lookup);
    ul.innerHTML = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = ul.id + "_" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-id", r.id);
      li.setAttribute("data-label", r.name);
      var name = document.createElement("span");
      name.textContent = r.name;
      li.appendChild(name);
      var meta = r.home_place || r.parent || r.place || "";
      if (meta) {
        var m = document.createElement("span");
        m.className = "meta";
        m.textContent = " · " + meta;
        li.appendChild(m);
      }
      ul.appendChild(li);
    });
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "lookup__empty";
      empty.textContent = lookup.getAttribute("data-empty") || "—";
      ul.appendChild(empty);
    }
    ul.hidden = false;
    input(lookup).setAttribute("aria-expanded", "true");
  }

  function search(lookup) {
    var q = input(lookup).value.trim();
    if (!q) { close(lookup); return; }
    var previous = controllers.get(lookup);
    if (previous) previous.abort();
    var controller = new AbortController();
    controllers.set(lookup, controller);
    var url = lookup.getAttribute("data-lookup-url") + "&q=" + encodeURIComponent(q);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: controller.signal })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { render(lookup, data.results || []); })
      .catch(function () {});
  }

  document.addEventListener("input", function (event) {
    var lookup = box(event.target);
    if (!lookup || !event.target.classList.contains("lookup__input")) return;
    if (!lookup.hasAttribute("data-multiple")) {
      var text = event.target;
      if (text.value !== text.getAttribute("data-chosen-label")) {
        lookup.querySelector(".lookup__id").value = "";
      }
    }
    clearTimeout(timers.get(lookup));
    timers.set(lookup, setTimeout(function () { search(lookup); }, 200));
  });

  document.addEventListener("keydown", function (event) {
    var lookup = box(event.target);
    if (!lookup || !event.target.classList.contains("lookup__input")) return;
    var ul = list(lookup);
    var options = Array.prototype.slice.call(ul.querySelectorAll('[role="option"]'));
    var current = ul.querySelector('[aria-selected="true"]');
    var index = options.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (ul.hidden) { search(lookup); return; }
      event.preventDefault();
      if (current) current.setAttribute("aria-selected", "false");
      index = event.key === "ArrowDown" ? Math.min(index + 1, options.length - 1) : Math.max(index - 1, 0);
      if (options[index]) {
        options[index].setAttribute("aria-selected", "true");
        event.target.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    } else if (event.key === "Enter") {
      if (!ul.hidden && (current || options.length === 1)) {
        event.preventDefault();
        choose(lookup, current || options[0]);
      }
    } else if (event.key === "Escape") {
      if (!ul.hidden) { event.preventDefault(); close(lookup); }
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest ? event.target.closest('.lookup__list [role="option"]') : null;
    if (option) {
      event.preventDefault();
      choose(box(option), option);
    }
  });

  document.addEventListener("click", function (event) {
    var remove = event.target.closest ? event.target.closest(".lookup__remove") : null;
    if (remove) {
      var lookup = box(remove);
      remove.closest("li").remove();
      input(lookup).focus();
      return;
    }
    document.querySelectorAll(".lookup__list:not([hidden])").forEach(function (ul) {
      if (!box(ul).contains(event.target)) close(box(ul));
    });
  });

  document.addEventListener("focusout", function (event) {
    var lookup = box(event.target);
    if (!lookup) return;
    setTimeout(function () {
      if (!lookup.contains(document.activeElement)) close(lookup);
    }, 150);
  });
})();
