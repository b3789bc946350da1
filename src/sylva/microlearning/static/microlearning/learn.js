/* Today's rendez-vous: one card at a time, answers sent with htmx; offline, answers are kept
   on the phone (localStorage) with their client-generated id and replayed when the
   connection returns — the server records an answer id once, so nothing counts twice. */
(function () {
  "use strict";
  var KEY = "sylva-learn-queue";
  var root = document.getElementById("today");
  if (!root) return;
  var shownAt = new WeakMap();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); note(); }
  function note() {
    var el = document.getElementById("offline-queue");
    var n = load().length;
    if (!el) return;
    el.hidden = n === 0;
    el.textContent = n ? (document.documentElement.lang === "fr"
      ? n + " réponse(s) en attente d'envoi."
      : n + " answer(s) waiting to be sent.") : "";
  }
  function show(card) {
    card.hidden = false;
    shownAt.set(card, Date.now());
    var h = card.querySelector("h2");
    if (h) { h.setAttribute("tabindex", "-1"); h.focus({ preventScroll: false }); }
  }

  root.querySelectorAll(".answerform").forEach(function (form) {
    form.elements.answer_id.value = uuid();
  });
  var first = root.querySelector(".learncard:not([hidden])");
  if (first) shownAt.set(first, Date.now());

  function duration(card) { return Math.max(0, Date.now() - (shownAt.get(card) || Date.now())); }

  document.body.addEventListener("htmx:configRequest", function (e) {
    var form = e.detail.elt;
    if (!form.classList || !form.classList.contains("answerform")) return;
    e.detail.parameters.duration_ms = String(duration(form.closest(".learncard")));
  });

  root.addEventListener("click", function (e) {
    var button = e.target.closest("[data-next]");
    if (!button) return;
    var card = button.closest(".learncard");
    var next = card.nextElementSibling;
    while (next && !(next.classList.contains("learncard"))) {
      if (next.id === "done") break;
      next = next.nextElementSibling;
    }
    card.hidden = true;
    if (next && next.classList.contains("learncard")) show(next);
    else document.getElementById("done").hidden = false;
  });

  function responseOf(form, kind) {
    var data = new FormData(form);
    if (kind === "lesson") return [];
    if (kind === "reflection") return String(data.get("text") || "");
    if (kind === "ordering") {
      var places = [];
      form.querySelectorAll("select[name^=pos-]").forEach(function (s) {
        places.push([parseInt(s.value, 10), parseInt(s.name.slice(4), 10)]);
      });
      places.sort(function (a, b) { return a[0] - b[0]; });
      return places.map(function (p) { return p[1]; });
    }
    return data.getAll("choice").map(function (v) { return parseInt(v, 10); });
  }

  document.body.addEventListener("htmx:sendError", function (e) {
    var form = e.detail.elt;
    if (!form.classList || !form.classList.contains("answerform")) return;
    var card = form.closest(".learncard");
    var items = load();
    items.push({
      card_id: parseInt(card.dataset.card, 10),
      answer_id: form.elements.answer_id.value,
      response: responseOf(form, card.dataset.kind),
      duration_ms: duration(card),
      answered_at: new Date().toISOString()
    });
    save(items);
    var tpl = card.querySelector("template.offline-feedback");
    var wrap = document.createElement("div");
    if (tpl) wrap.appendChild(tpl.content.cloneNode(true));
    var next = document.createElement("div");
    next.className = "actions";
    next.innerHTML = '<button type="button" class="primary next" data-next></button>';
    next.firstChild.textContent = document.documentElement.lang === "fr" ? "Suivante" : "Next";
    wrap.appendChild(next);
    form.replaceWith(wrap);
    card.classList.add("answered", "queued");
  });

  var replaying = false;
  function replay() {
    if (replaying || !navigator.onLine) return;
    var items = load();
    if (!items.length) return;
    replaying = true;
    var item = items[0];
    fetch(root.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(item)
    }).then(function (r) {
      // recorded (201), already recorded (200) or refused for good (4xx): done with it
      if (r.ok || (r.status >= 400 && r.status < 500)) {
        save(load().filter(function (x) { return x.answer_id !== item.answer_id; }));
        replaying = false;
        replay();
      } else { replaying = false; }
    }).catch(function () { replaying = false; });
  }
  window.addEventListener("online", replay);
  note();
  replay();

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
})();
