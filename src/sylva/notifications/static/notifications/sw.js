/* Sylva's notifications service worker, registered by push.js as /inbox/sw.js with the
   scope "/" (the server allows it: Service-Worker-Allowed: /).

   It only shows what Sylva pushes and opens what is clicked: no fetch handler, no cache
   (the pages of Today, under /learn/, keep their own offline worker, whose narrower scope
   wins there). A push carries JSON encrypted for this browser (RFC 8291):
   {title, body, url, action, tag}. */
"use strict";

var CONFIG = self.SYLVA_PUSH || { icon: "", inbox: "/inbox/" };

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function sameOrigin(url) {
  try {
    var parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : null;
  } catch (e) {
    return null;
  }
}

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (e) {
      data = { body: event.data.text() };
    }
  }
  var options = {
    body: data.body || "",
    tag: data.tag || undefined,
    renotify: Boolean(data.tag),
    icon: CONFIG.icon || undefined,
    badge: CONFIG.icon || undefined,
    data: { url: sameOrigin(data.url || CONFIG.inbox) || sameOrigin(CONFIG.inbox) },
  };
  if (data.action) options.actions = [{ action: "open", title: data.action }];
  event.waitUntil(self.registration.showNotification(data.title || "Sylva", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || sameOrigin(CONFIG.inbox);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      var i;
      for (i = 0; i < windows.length; i++) {
        if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
      }
      for (i = 0; i < windows.length; i++) {
        if ("navigate" in windows[i] && sameOrigin(windows[i].url)) {
          var open = windows[i];
          return open.navigate(url).then(function (client) {
            return (client || open).focus();
          }).catch(function () {
            return self.clients.openWindow(url);
          });
        }
      }
      return self.clients.openWindow(url);
    })
  );
});
