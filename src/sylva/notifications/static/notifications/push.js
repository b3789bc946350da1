/* "Turn on notifications on this device": binds to <button id="push-toggle"> when the page
   has one (the notification preferences). A click registers Sylva's service worker
   (/inbox/sw.js, scope "/"), fetches the VAPID public key, asks the browser to subscribe
   (PushManager.subscribe, userVisibleOnly) and sends the subscription to
   /api/v1/notifications/push with the page's CSRF token; a second click turns it off on
   this device. Every outcome is said in #push-status (created beside the button if the
   page has none): subscribed, refused by the person, not possible in this browser (an
   iPhone needs Sylva added to its home screen first), not set up on this Sylva, or an
   error. Messages come from the button's data-msg-* attributes when the page translates
   them, else from the French and English below (the page's lang). On each visit an
   existing subscription is sent again, so that a browser that renewed it stays reachable. */
(function () {
  "use strict";

  var API = "/api/v1/notifications/push";
  var WORKER = "/inbox/sw.js";
  var MESSAGES = {
    en: {
      on: "Turn on notifications on this device",
      off: "Turn off notifications on this device",
      working: "One moment…",
      subscribed: "Notifications are on for this device.",
      unsubscribed: "Notifications are off for this device.",
      denied: "Notifications are blocked for Sylva in this browser: allow them in the site's settings, then try again.",
      unsupported: "This browser cannot receive notifications. On an iPhone or iPad, add Sylva to the home screen first (Share, then Add to Home Screen) and open it from there.",
      unconfigured: "Notifications on devices are not set up on this Sylva yet: ask your administrator.",
      insecure: "Notifications need a secure connection (https).",
      failed: "The notifications could not be turned on: ",
    },
    fr: {
      on: "Activer les notifications sur cet appareil",
      off: "Désactiver les notifications sur cet appareil",
      working: "Un instant…",
      subscribed: "Les notifications sont activées sur cet appareil.",
      unsubscribed: "Les notifications sont désactivées sur cet appareil.",
      denied: "Les notifications de Sylva sont bloquées dans ce navigateur : autorisez-les dans les paramètres du site, puis réessayez.",
      unsupported: "Ce navigateur ne peut pas recevoir de notifications. Sur iPhone ou iPad, ajoutez d'abord Sylva à l'écran d'accueil (Partager, puis Sur l'écran d'accueil) et ouvrez-le depuis là.",
      unconfigured: "Les notifications sur les appareils ne sont pas encore configurées sur ce Sylva : demandez à votre administrateur.",
      insecure: "Les notifications demandent une connexion sécurisée (https).",
      failed: "Les notifications n'ont pas pu être activées : ",
    },
  };

  var button = document.getElementById("push-toggle");
  if (!button) return;

  var lang = (document.documentElement.lang || "fr").slice(0, 2);
  var defaults = MESSAGES[lang] || MESSAGES.en;
  function msg(name) {
    return button.getAttribute("data-msg-" + name) || defaults[name];
  }

  var status = document.getElementById("push-status");
  if (!status) {
    status = document.createElement("p");
    status.id = "push-status";
    status.className = "push-status";
    button.insertAdjacentElement("afterend", status);
  }
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function show(subscribed) {
    button.textContent = subscribed ? msg("off") : msg("on");
    button.setAttribute("aria-pressed", subscribed ? "true" : "false");
    button.disabled = false;
  }

  function csrf() {
    try {
      var token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
      if (token) return token;
    } catch (e) { /* no htmx headers on this page */ }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return cookie ? decodeURIComponent(cookie[1]) : "";
  }

  function api(method, body) {
    return fetch(API, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.ok) return response;
      return response.json().catch(function () { return {}; }).then(function (error) {
        throw new Error(error.detail || String(response.status));
      });
    });
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function publicKey() {
    return fetch(API + "/key", { credentials: "same-origin" }).then(function (response) {
      if (response.status === 404) {
        var missing = new Error(msg("unconfigured"));
        missing.known = true;
        throw missing;
      }
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (body) { return body.public_key; });
  }

  function activeRegistration() {
    return navigator.serviceWorker.register(WORKER, { scope: "/" }).then(function (registration) {
      if (registration.active) return registration;
      var worker = registration.installing || registration.waiting;
      return new Promise(function (resolve, reject) {
        worker.addEventListener("statechange", function () {
          if (worker.state === "activated") resolve(registration);
          if (worker.state === "redundant") reject(new Error("service worker"));
        });
      });
    });
  }

  function current() {
    return navigator.serviceWorker.getRegistration("/").then(function (registration) {
      return registration ? registration.pushManager.getSubscription() : null;
    });
  }

  function subscribe() {
    var key;
    return publicKey().then(function (found) {
      key = found;
      return Notification.requestPermission();
    }).then(function (permission) {
      if (permission !== "granted") {
        var denied = new Error(msg("denied"));
        denied.known = true;
        throw denied;
      }
      return activeRegistration();
    }).then(function (registration) {
      return registration.pushManager.getSubscription().then(function (old) {
        // a subscription made with another key cannot be reused: replace it
        return old ? old.unsubscribe() : null;
      }).then(function () {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key),
        });
      });
    }).then(function (subscription) {
      return api("POST", subscription.toJSON()).catch(function (error) {
        return subscription.unsubscribe().then(function () { throw error; });
      });
    });
  }

  function unsubscribe(subscription) {
    var endpoint = subscription.endpoint;
    return subscription.unsubscribe().then(function () {
      return api("DELETE", { endpoint: endpoint }).catch(function () { /* already gone */ });
    });
  }

  if (!window.isSecureContext) {
    button.disabled = true;
    say(msg("insecure"), true);
    return;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    button.disabled = true;
    say(msg("unsupported"), true);
    return;
  }
  if (Notification.permission === "denied") say(msg("denied"), true);

  var subscribed = false;
  current().then(function (subscription) {
    subscribed = Boolean(subscription);
    show(subscribed);
    // send it again: a renewed subscription (pushsubscriptionchange) reaches the server
    if (subscription) api("POST", subscription.toJSON()).catch(function () { /* shown on click */ });
  }).catch(function () { show(false); });

  button.addEventListener("click", function () {
    button.disabled = true;
    say(msg("working"), false);
    var done = subscribed
      ? current().then(function (subscription) { return subscription && unsubscribe(subscription); })
        .then(function () { subscribed = false; say(msg("unsubscribed"), false); })
      : subscribe().then(function () { subscribed = true; say(msg("subscribed"), false); });
    done.catch(function (error) {
      say(error.known ? error.message : msg("failed") + (error.message || error), true);
    }).then(function () { show(subscribed); });
  });
})();
