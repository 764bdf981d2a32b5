/* The phone app without signal: the upload queue, the cached area, and the offline page.
 *
 * Every phone form (visit, must-visit event, hardship report, appeal, wish) is sent through a
 * queue kept in IndexedDB, each item under the client_id fixed when the form was opened. An item
 * leaves the queue only when the server has answered it: stored (also when it is a replay the
 * server had already stored, replays/replay.py), or refused with its reasons, which stay shown
 * until the worker edits or discards the item. Nothing is dropped silently. */
(function () {
  "use strict";

  var DB_NAME = "vg-offline";
  var STORE = "queue";
  var DATA_CACHE = "vg-data";
  var PAGES_CACHE = "vg-pages";
  var SNAPSHOT = "/m/offline/snapshot/";
  var SNAPSHOT_EVERY_MS = 10 * 60 * 1000;
  var FORMS = ["visit-form", "event-form", "hardship-form", "appeal-form", "wish-form", "contact-form", "fulfil-form"];
  var PHOTO_EDGE = 1600;
  var T = JSON.parse((document.getElementById("offline-text") || { textContent: "{}" }).textContent);

  function text(key, n) {
    var words = T[key] || key;
    return n === undefined ? words : words.replace("%(n)s", n);
  }

  // --- IndexedDB -------------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }

  function allItems() {
    return tx("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return items.sort(function (a, b) { return a.seq - b.seq; });
    });
  }
  function putItem(item) { return tx("readwrite", function (store) { store.put(item); }); }
  function dropItem(id) { return tx("readwrite", function (store) { store.delete(id); }); }
  function dropAll() { return tx("readwrite", function (store) { store.clear(); }); }

  // --- helpers ---------------------------------------------------------------------------------
  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function cardOf(path) {
    var match = path.match(/^\/m\/(?:v|appeals\/new|wishes\/new)\/(\d+)\//);
    if (match) return "/m/v/" + match[1] + "/";
    var wish = path.match(/^\/m\/wishes\/(\d+)\//);
    return wish ? "/m/wishes/" + wish[1] + "/" : "/m/";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* Photos are made smaller on the phone before they wait in the queue (a 4 MB photo becomes a
   * few hundred KB); other files (PDF papers) are kept as they are. */
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_EDGE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 600 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.8);
      });
    }, function () { return file; });
  }

  function itemFrom(form) {
    var data = new FormData(form);
    var fields = [];
    var files = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) {
        if (value.size) files.push([name, value]);
      } else {
        fields.push([name, value]);
      }
    });
    return Promise.all(files.map(function (pair) {
      return shrink(pair[1]).then(function (file) { return [pair[0], file, file.name]; });
    })).then(function (shrunk) {
      var heading = document.querySelector("main h1");
      var title = heading ? heading.textContent.trim() : document.title;
      return {
        client_id: data.get("client_id"),
        url: form.getAttribute("action") || location.pathname,
        title: title,
        fields: fields,
        files: shrunk,
        state: "pending",
        seq: Date.now(),
        saved_at: new Date().toLocaleString("zh-CN", { hour12: false }),
      };
    });
  }

  // --- sending ---------------------------------------------------------------------------------
  var draining = null;

  function send(item) {
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    item.files.forEach(function (triple) { body.append(triple[0], triple[1], triple[2]); });
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Queue": "1", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.redirected && new URL(response.url).pathname.indexOf("/accounts/login") === 0) {
        return { wait: text("login") };
      }
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === 0) return response.json();
      if (response.status === 403) return { status: "refused", message: text("forbidden") };
      return { wait: text("server") + " (" + response.status + ")" };
    }, function () {
      return { wait: text("offline") };
    });
  }

  /* Sends every pending item in order, one at a time. Resolves to {client_id: answer}. */
  function drain() {
    if (draining) return draining;
    draining = allItems().then(function (items) {
      var answers = {};
      var chain = Promise.resolve();
      var stopped = false;
      items.filter(function (item) { return item.state !== "refused"; }).forEach(function (item) {
        chain = chain.then(function () {
          if (stopped) return;
          return send(item).then(function (answer) {
            answers[item.client_id] = answer;
            if (answer.wait) {
              stopped = true;
              setStatus(answer.wait);
              return;
            }
            if (answer.status === "stored") return dropItem(item.client_id);
            item.state = "refused";
            item.message = answer.message || "";
            item.errors = answer.errors || [];
            return putItem(item);
          });
        });
      });
      return chain.then(function () { return answers; });
    }).then(function (answers) {
      draining = null;
      return showCount().then(function () { return answers; });
    }, function (error) {
      draining = null;
      throw error;
    });
    return draining;
  }

  // --- the bar on every page ----------------------------------------------------------------------
  function setStatus(message) {
    var node = document.getElementById("queue-status");
    if (node) node.textContent = message || "";
  }

  function showCount() {
    return allItems().then(function (items) {
      var bar = document.getElementById("queue-bar");
      if (!bar) return items;
      var refused = items.filter(function (i) { return i.state === "refused"; }).length;
      var pending = items.length - refused;
      document.getElementById("queue-count").textContent = pending ? text("pending", pending) : "";
      document.getElementById("queue-refused").textContent = refused ? text("refused", refused) : "";
      bar.hidden = items.length === 0;
      window.dispatchEvent(new Event("vg-queue-changed"));
      return items;
    });
  }

  // --- forms ---------------------------------------------------------------------------------------
  function showErrors(form, answer) {
    var old = form.querySelector(".queue-errors");
    if (old) old.remove();
    var list = el("ul", {});
    (answer.errors || []).forEach(function (row) {
      row.messages.forEach(function (message) {
        list.appendChild(el("li", { text: (row.label ? row.label + "：" : "") + message }));
      });
    });
    if (answer.message) list.appendChild(el("li", { text: answer.message }));
    var box = el("div", { class: "error queue-errors", role: "alert", tabindex: "-1" }, [list]);
    form.insertBefore(box, form.firstChild);
    box.focus();
    box.scrollIntoView({ block: "start" });
  }

  function fill(form, item) {
    var byName = {};
    item.fields.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.type === "file" || input.name === "csrfmiddlewaretoken") return;
      var values = byName[input.name] || [];
      if (input.type === "checkbox" || input.type === "radio") input.checked = values.indexOf(input.value) >= 0;
      else if (input.multiple) Array.prototype.forEach.call(input.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      else if (values.length) input.value = values[0];
    });
  }

  /* Every opening of a form is a new submission: a page kept on the phone carries the number
   * it was served with, and a second visit from it must not pass for a replay of the first. */
  function ensureClientId(form) {
    var input = form.querySelector("input[name=client_id]");
    if (!input) {
      input = el("input", { type: "hidden", name: "client_id" });
      form.appendChild(input);
    }
    input.value = newClientId();
    return input;
  }

  function takeOver(form) {
    if (form.getAttribute("data-queued")) return;
    form.setAttribute("data-queued", "1");
    ensureClientId(form);
    var editing = location.hash.match(/^#edit=([\w-]+)$/);
    if (editing) {
      tx("readonly", function (store) { return store.get(editing[1]); }).then(function (item) {
        if (!item) return;
        fill(form, item);
        showErrors(form, item);
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      itemFrom(form).then(function (item) {
        return putItem(item).then(function () { return drain(); }).then(function (answers) {
          var answer = answers[item.client_id] || {};
          if (answer.status === "stored") {
            location.href = answer.location;
          } else if (answer.status === "refused" && !form.hasAttribute("data-drawn")) {
            // The page's own form, refused with signal: the server draws it again with what to
            // fix, as without this script (the same number; nothing was stored).
            return dropItem(item.client_id).then(function () { form.submit(); });
          } else if (answer.status === "refused") {
            if (button) button.disabled = false;
            showErrors(form, answer);
          } else {
            setStatus(text("queued"));
            location.href = cardOf(item.url);
          }
        });
      }).catch(function () {
        if (button) button.disabled = false;
        form.submit();  // no IndexedDB here (a private window): the page posts as it always did
      });
    });
  }

  // --- the cached area --------------------------------------------------------------------------
  function wipeCaches() {
    if (!window.caches) return Promise.resolve();
    return Promise.all([caches.delete(DATA_CACHE), caches.delete(PAGES_CACHE)]);
  }

  function cachedSnapshot() {
    if (!window.caches) return Promise.resolve(null);
    return caches.open(DATA_CACHE).then(function (cache) { return cache.match(SNAPSHOT); }).then(function (r) {
      return r ? r.json() : null;
    });
  }

  function showDataTime(data) {
    var node = document.getElementById("data-time");
    if (node && data) node.textContent = text("data_time").replace("%(time)s", data.generated_at.replace("T", " ").slice(0, 16));
  }

  /* Online: take the area again (at most every ten minutes). Another account, a changed area or
   * a refusal (the account disabled) first drops what the phone kept; the queue stays. */
  function refreshSnapshot(force) {
    var user = document.body.getAttribute("data-user");
    if (!window.caches || !user || !navigator.onLine) return cachedSnapshot().then(showDataTime);
    return cachedSnapshot().then(function (kept) {
      var fresh = kept && String(kept.user) === user && Date.now() - (kept.fetched || 0) < SNAPSHOT_EVERY_MS;
      if (fresh && !force) return kept;
      return fetch(SNAPSHOT, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) {
          return (response.status === 403 || response.redirected ? wipeCaches() : Promise.resolve()).then(function () { return kept; });
        }
        return response.json().then(function (data) {
          data.fetched = Date.now();
          var moved = kept && (String(kept.user) !== String(data.user) || kept.scope !== data.scope);
          return (moved ? wipeCaches() : Promise.resolve()).then(function () {
            return caches.open(DATA_CACHE);
          }).then(function (cache) {
            var body = new Response(JSON.stringify(data), { headers: { "Content-Type": "application/json" } });
            return cache.put(SNAPSHOT, body);
          }).then(function () { return data; });
        });
      }, function () { return kept; });
    }).then(function (data) { showDataTime(data); return data; });
  }

  // --- logout ---------------------------------------------------------------------------------------
  function guardLogout(form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-cleared")) return;
      event.preventDefault();
      allItems().then(function (items) {
        if (items.length && !window.confirm(text("discard", items.length))) return;
        return dropAll().then(wipeCaches).then(function () {
          form.setAttribute("data-cleared", "1");
          form.submit();
        });
      }, function () { form.submit(); });
    });
  }

  window.vgOffline = {
    drain: drain,
    items: allItems,
    drop: function (id) { return dropItem(id).then(showCount); },
    snapshot: cachedSnapshot,
    refresh: refreshSnapshot,
    el: el,
    text: text,
    cardOf: cardOf,
    takeOver: takeOver,
    ready: null,
  };

  document.addEventListener("DOMContentLoaded", function () {
    FORMS.forEach(function (id) {
      var form = document.getElementById(id);
      if (form && !form.hasAttribute("data-template")) takeOver(form);
    });
    var logout = document.getElementById("logout-form");
    if (logout) guardLogout(logout);
    var button = document.getElementById("queue-send");
    if (button) button.addEventListener("click", function () { drain(); });
    window.addEventListener("online", function () { drain(); refreshSnapshot(); });
    var registered = "serviceWorker" in navigator
      ? navigator.serviceWorker.register("/m/sw.js", { scope: "/m/" }).then(function () { return navigator.serviceWorker.ready; })
      : Promise.resolve();
    window.vgOffline.ready = registered.then(function () { return refreshSnapshot(); }).then(function () {
      return navigator.onLine ? drain() : showCount();
    }).catch(function () { return showCount(); });
  });
})();
