/* Today's rendez-vous: one card at a time, and an answer is never lost once given.

   Every answer is first written to this phone's queue (localStorage: the card's form fields,
   its answer id generated here, the time taken and the moment answered), then sent to the
   card's form URL. It leaves the queue only when the server has decided: recorded,
   already recorded (the same answer id: a replay never counts twice) or refused for a
   reason that sending again cannot fix — the response then carries X-Sylva-Outcome and the
   server's feedback (right answer, explanation) or refusal, shown in place. Anything else
   keeps it: offline or a server error (sent again when the connection returns, at every
   page load and every 30 s), a stale CSRF token (a fresh one is fetched and the answer sent
   again), an ended session (kept until the person signs in again). The server grades an
   answer on arrival at the moment it was made: one made offline yesterday counts yesterday.
   No right answer and no explanation is in the page before the server has graded. */
(function () {
  "use strict";
  var KEY = "sylva-learn-queue";
  var root = document.getElementById("today");
  if (!root) return;
  var shownAt = new WeakMap();
  var token = null;      // a CSRF token fetched after the page's one went stale
  var signIn = false;    // the session has ended: wait for the person to sign in again
  var sending = false;

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function pageToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function csrf() { return token || pageToken(); }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* full: kept in memory */ }
    note();
  }
  function keep(item) {
    var items = load().filter(function (x) { return x.answer_id !== item.answer_id; });
    items.push(item);
    store(items);
  }
  function drop(answerId) {
    store(load().filter(function (x) { return x.answer_id !== answerId; }));
  }
  function mine(item) { return !item.person || String(item.person) === root.dataset.person; }

  function note() {
    var el = document.getElementById("offline-queue");
    if (!el) return;
    var n = load().filter(mine).length;
    el.hidden = n === 0;
    el.textContent = "";
    if (!n) return;
    if (signIn) {
      el.appendChild(document.createTextNode(msg("signin") + " "));
      var link = document.createElement("a");
      link.href = root.dataset.login + "?next=" + encodeURIComponent(location.pathname);
      link.className = "button primary signin";
      link.textContent = msg("signin-link");
      el.appendChild(link);
    } else {
      el.textContent = msg("waiting").replace("%n", String(n));
    }
  }

  function show(card) {
    card.hidden = false;
    shownAt.set(card, Date.now());
    var h = card.querySelector("h2");
    if (h) { h.setAttribute("tabindex", "-1"); h.focus({ preventScroll: false }); }
  }
  function duration(card) { return Math.max(0, Date.now() - (shownAt.get(card) || Date.now())); }
  function cardOf(cardId) { return root.querySelector(".learncard[data-card='" + cardId + "']"); }

  function nextButton() {
    var actions = document.createElement("div");
    actions.className = "actions";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "primary next";
    button.setAttribute("data-next", "");
    button.textContent = msg("next");
    actions.appendChild(button);
    return actions;
  }
  // the card waits in the queue: its form gives way to a note and the way on
  function markQueued(card) {
    var form = card.querySelector("form.answerform");
    if (!form) return;
    var wrap = document.createElement("div");
    wrap.className = "feedback offline";
    wrap.setAttribute("role", "status");
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = msg("saved");
    p.appendChild(strong);
    wrap.appendChild(p);
    form.replaceWith(wrap, nextButton());
    card.classList.add("answered", "queued");
    progress();
  }
  // the header: the server's streak, cards left and progress (sent again with each
  // answer), plus the answers this phone keeps for later, which the server has not counted
  function progress() {
    var head = document.getElementById("todayhead");
    if (!head) return;
    var pending = root.querySelectorAll(".learncard.queued").length;
    var answered = parseInt(head.dataset.answered, 10) || 0;
    var left = parseInt(head.dataset.left, 10) || 0;
    var total = answered + left;
    var done = Math.min(total, answered + pending);
    var percent = total ? Math.round(100 * done / total) : 100;
    var bar = head.querySelector(".progress");
    if (bar) {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.removeAttribute("aria-valuetext");
      var fill = bar.querySelector("span");
      if (fill) fill.style.width = percent + "%";
    }
    var text = head.querySelector(".left");
    if (text && pending) {
      var n = Math.max(0, left - pending);
      var rule = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en").select(n) : (n === 1 ? "one" : "other");
      text.textContent = "· " + (head.getAttribute("data-msg-" + (rule === "one" ? "one" : "other")) || "").replace("%n", String(n)) + " (" + msg("queued") + ": " + pending + ")";
    }
  }
  // parts sent out of band (hx-swap-oob: the header, the day's summary) replace theirs
  function outOfBand(nodes) {
    return nodes.filter(function (n) {
      if (!n.getAttribute || !n.hasAttribute("hx-swap-oob")) return true;
      var mine = n.id && document.getElementById(n.id);
      n.removeAttribute("hx-swap-oob");
      if (mine) mine.replaceWith(n);
      return false;
    });
  }
  // the server's feedback (or refusal) for a card, in place or with the others sent
  function arrived(item, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var nodes = outOfBand(Array.prototype.slice.call(holder.childNodes));
    var card = cardOf(item.card_id);
    if (!nodes.length) { progress(); return; }
    if (!card || card.hidden) {  // not on this page any more: with the others sent
      if (card) card.classList.remove("queued");  // counted by the server now
      holder.querySelectorAll("[data-next]").forEach(function (b) { b.remove(); });
      var results = document.getElementById("offline-results");
      if (!results) return;
      nodes.forEach(function (n) { results.appendChild(n); });
      results.hidden = false;
    } else {
      card.replaceWith.apply(card, nodes);
    }
    progress();
    nodes.forEach(function (n) {
      if (n.classList && n.classList.contains("learncard")) shownAt.set(n, Date.now());
    });
  }

  function fieldsOf(form, card) {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "duration_ms") out.push([name, String(value)]);
    });
    out.push(["duration_ms", String(duration(card))]);
    return out;
  }

  function refreshToken() {
    return fetch(root.dataset.scope, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (r) {
        if (r.type === "opaqueredirect" || r.status === 401) { signIn = true; return false; }
        if (!r.ok) return false;
        return r.text().then(function (text) {
          var doc = new DOMParser().parseFromString(text, "text/html");
          try { token = JSON.parse(doc.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return false; }
          return Boolean(token);
        });
      });
  }

  function post(item) {
    if (!item.fields) {  // a queue written by an earlier version: the JSON API
      return fetch(root.dataset.api, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(item)
      });
    }
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("answered_at", item.answered_at);
    return fetch(item.action, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": csrf(), "X-Sylva-Answer": "1" },
      body: body
    });
  }

  // "done": the server decided (the item leaves the queue); "kept": try again later;
  // "signin": the session has ended
  function send(item, retried) {
    return post(item).then(function (r) {
      var outcome = r.headers.get("X-Sylva-Outcome");
      if (outcome || (!item.fields && (r.ok || [400, 404, 409, 422].indexOf(r.status) >= 0))) {
        return r.text().then(function (text) {
          drop(item.answer_id);
          if (item.fields) arrived(item, text);
          return "done";
        });
      }
      if (r.type === "opaqueredirect" || r.status === 401) { signIn = true; note(); return "signin"; }
      if (r.status === 403 && !retried) {  // the CSRF check: a fresh token, then once more
        return refreshToken().then(function (ok) {
          if (!ok) { note(); return signIn ? "signin" : "kept"; }
          return send(item, true);
        });
      }
      return "kept";
    }).catch(function () { return "kept"; });
  }

  function replay() {
    if (sending || signIn) return Promise.resolve();
    var items = load().filter(mine);
    if (!items.length) return Promise.resolve();
    sending = true;
    var step = function (i) {
      if (i >= items.length) return Promise.resolve();
      return send(items[i]).then(function (result) {
        if (result === "done") return step(i + 1);
        var card = cardOf(items[i].card_id);
        if (card) markQueued(card);
        return null;
      });
    };
    return step(0).then(function () { sending = false; note(); }, function () { sending = false; });
  }

  root.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("answerform")) return;
    e.preventDefault();
    var card = form.closest(".learncard");
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.textContent = msg("sending"); }
    var item = {
      card_id: parseInt(card.dataset.card, 10),
      answer_id: form.elements.answer_id.value,
      person: root.dataset.person,
      action: form.action,
      fields: fieldsOf(form, card),
      answered_at: new Date().toISOString()
    };
    keep(item);  // kept before it is sent: never lost
    if (sending || signIn) { markQueued(card); return; }
    sending = true;
    send(item).then(function (result) {
      sending = false;
      if (result !== "done") markQueued(card);
      note();
      if (result === "done") replay();
    });
  });

  root.addEventListener("click", function (e) {
    var button = e.target.closest("[data-next]");
    if (!button) return;
    var card = button.closest(".learncard");
    if (!card) return;
    var next = card.nextElementSibling;
    while (next && !(next.classList.contains("learncard"))) {
      if (next.id === "done") break;
      next = next.nextElementSibling;
    }
    card.hidden = true;
    if (next && next.classList.contains("learncard")) show(next);
    else document.getElementById("done").hidden = false;
  });

  root.querySelectorAll(".answerform").forEach(function (form) {
    form.elements.answer_id.value = uuid();
  });
  // cards whose answer is still in the queue are not offered again
  load().filter(mine).forEach(function (item) {
    var card = cardOf(item.card_id);
    if (card) markQueued(card);
  });
  var first = root.querySelector(".learncard:not([hidden])");
  if (first) shownAt.set(first, Date.now());

  window.addEventListener("online", function () { replay(); });
  window.setInterval(function () {
    if (!navigator.onLine || !load().filter(mine).length) return;
    if (!signIn) { replay(); return; }
    refreshToken().then(function (ok) {  // signed in again meanwhile (another tab)?
      if (ok) { signIn = false; replay(); }
    });
  }, 30000);
  note();
  replay();

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
})();
