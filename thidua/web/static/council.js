// The keyboard on the review and selection pages, for a council working through a few hundred
// names: j / k move to the next / previous nominee, a key named by a button's data-key presses it
// (o: evidence ok; s: select), a field's data-key focuses it (i: the note); Enter in a field with
// data-enter presses the button whose data-verdict it names; Escape leaves the field.
// After htmx saves a card the next one is current, so a list is worked through without the mouse.
// Without this file every form still works with the mouse or Tab.
(function () {
  "use strict";

  var current = null; // the id (data-item) of the current nominee
  var advanceFrom = null; // the nominee whose verdict is being saved: move past it once swapped

  function list() { return document.querySelector("[data-keyboard-list]"); }
  function items() {
    var root = list();
    return root ? Array.prototype.slice.call(root.querySelectorAll("[data-item]")) : [];
  }
  function byId(id) {
    return items().filter(function (el) { return el.getAttribute("data-item") === id; })[0] || null;
  }

  function choose(el) {
    if (!el) { return; }
    items().forEach(function (other) { other.classList.toggle("current", other === el); });
    current = el.getAttribute("data-item");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = items();
    if (!all.length) { return; }
    var at = all.indexOf(byId(current));
    choose(all[Math.min(Math.max(at < 0 ? 0 : at + step, 0), all.length - 1)]);
  }

  function press(item, key) {
    var target = item.querySelector('[data-key="' + key + '"]');
    if (!target) { return false; }
    if (target.matches("input, textarea, select")) { target.focus(); target.select && target.select(); }
    else { target.click(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (!list() || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var field = event.target.closest && event.target.closest("input, textarea, select");
    if (field) {
      var item = field.closest("[data-item]");
      if (event.key === "Escape" && item) { event.preventDefault(); field.blur(); choose(item); }
      if (event.key === "Enter" && item && field.hasAttribute("data-enter")) {
        var button = item.querySelector('[data-verdict="' + field.getAttribute("data-enter") + '"]');
        if (button) { event.preventDefault(); button.click(); }
      }
      return;
    }
    if (event.key === "j") { event.preventDefault(); move(1); return; }
    if (event.key === "k") { event.preventDefault(); move(-1); return; }
    var here = byId(current);
    if (here && event.key.length === 1 && press(here, event.key)) { event.preventDefault(); }
  });

  // A click or Tab into a nominee makes it the current one.
  document.addEventListener("focusin", function (event) {
    var item = event.target.closest && event.target.closest("[data-keyboard-list] [data-item]");
    if (item && item.getAttribute("data-item") !== current) {
      items().forEach(function (other) { other.classList.toggle("current", other === item); });
      current = item.getAttribute("data-item");
    }
  });

  // Noted before the request: once the card is swapped, the form that sent it is detached and
  // its events no longer reach the document.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    var item = form && form.closest && form.closest("[data-item]");
    advanceFrom = item && form.getAttribute("data-advance") === "next" ? item.getAttribute("data-item") : null;
  });

  // After a swap: past a saved verdict to the next nominee; back to the note of a refused one;
  // otherwise (the whole list swapped, as on the selection page) the same nominee again.
  document.addEventListener("htmx:afterSettle", function () {
    if (!list()) { return; }
    var saved = advanceFrom;
    advanceFrom = null;
    var here = byId(saved !== null ? saved : current);
    if (!here) { return; }
    current = here.getAttribute("data-item");
    var note = here.querySelector('[data-key="i"]');
    if (here.querySelector('[role="alert"]') && note) { note.focus(); return; }
    if (saved !== null) { move(1); } else { choose(here); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var wanted = location.hash.match(/^#n-(\d+)$/);
    var first = wanted ? byId(wanted[1]) : items()[0];
    if (first) { choose(first); }
  });
})();
