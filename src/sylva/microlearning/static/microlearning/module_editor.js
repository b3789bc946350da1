// The module's form editor (progressive enhancement: without this script, cards are
// added with the "Add a card" button, ordered by their Position and removed by a tick).
// With it: cards are added in place, moved up and down and removed with buttons, and the
// answers shown fit the card's kind. The phone preview is refreshed after each change.
(function () {
  "use strict";
  var form = document.querySelector("[data-module-editor]");
  if (!form) return;
  var list = form.querySelector("[data-cards]");
  var template = form.querySelector("template[data-card-template]");
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var NO_ANSWERS = ["lesson", "reflection"];
  var NOT_RIGHT = ["poll", "ordering"];

  function refresh() {
    document.body.dispatchEvent(new Event("preview-refresh"));
  }

  function cards() {
    return Array.prototype.filter.call(list.querySelectorAll("[data-card]"), function (li) {
      return !li.hidden;
    });
  }

  function renumber() {
    cards().forEach(function (li, i) {
      var order = li.querySelector("input[name$='-ORDER']");
      if (order) order.value = String(i + 1);
      var number = li.querySelector("[data-card-number]");
      if (number) number.textContent = String(i + 1);
    });
  }

  function fitKind(li) {
    var kind = li.querySelector("select[name$='-kind']");
    if (!kind) return;
    var answers = li.querySelector("[data-answers]");
    answers.hidden = NO_ANSWERS.indexOf(kind.value) !== -1;
    li.querySelectorAll("label.right").forEach(function (label) {
      label.hidden = NOT_RIGHT.indexOf(kind.value) !== -1;
    });
  }

  function enhance(li) {
    var order = li.querySelector("[data-order]");
    var remove = li.querySelector("[data-delete]");
    if (order) order.hidden = true;
    if (remove) remove.hidden = true;
    li.querySelectorAll("[data-move], [data-remove]").forEach(function (b) {
      b.hidden = false;
    });
    fitKind(li);
  }

  list.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-kind']")) {
      fitKind(event.target.closest("[data-card]"));
    }
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var li = button.closest("[data-card]");
    var shown = cards();
    var at = shown.indexOf(li);
    if (button.dataset.move === "up" && at > 0) {
      list.insertBefore(li, shown[at - 1]);
    } else if (button.dataset.move === "down" && at < shown.length - 1) {
      list.insertBefore(shown[at + 1], li);
    } else if (button.hasAttribute("data-remove")) {
      var tick = li.querySelector("input[name$='-DELETE']");
      if (tick) tick.checked = true;
      li.hidden = true;
      var next = cards()[Math.min(at, cards().length - 1)];
      var focus = next ? next.querySelector("select, input:not([type=hidden])") : null;
      if (focus) focus.focus();
    } else {
      return;
    }
    if (button.dataset.move) button.focus();
    renumber();
    refresh();
  });

  var add = form.querySelector("[data-add-card]");
  if (add && template && total) {
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      var li = holder.querySelector("[data-card]");
      var kind = li.querySelector("select[name$='-kind']");
      if (kind) kind.value = "single";
      list.appendChild(li);
      total.value = String(index + 1);
      enhance(li);
      renumber();
      var title = li.querySelector("input[name$='-title']");
      if (title) title.focus();
      refresh();
    });
  }

  list.querySelectorAll("[data-card]").forEach(enhance);
  renumber();
})();
