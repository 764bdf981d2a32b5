/* Pages drawn on the phone without signal (the offline page /m/offline/ stands in for any /m/
 * page not kept), from the snapshot of the worker's area, and the upload queue's page. Built
 * with DOM nodes and textContent only: no text from the data is ever read as HTML. */
(function () {
  "use strict";

  var O = window.vgOffline;
  var el = O.el;
  var t = O.text;

  function today() {
    var d = new Date();
    d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString();
  }

  function message(key) {
    return el("p", { class: "msg", text: t(key) });
  }

  function dueList(root, data) {
    var list = el("ul", { class: "list veterans", id: "due-list" });
    data.people.forEach(function (p) {
      var link = el("a", { class: "row-link", href: "/m/v/" + p.id + "/" }, [el("strong", { text: p.name })]);
      if (p.event_due_on) link.appendChild(el("span", { class: "tag event", text: t("must_visit") + " " + p.event_due_on }));
      if (p.overdue) link.appendChild(el("span", { class: "tag late", text: t("overdue") }));
      link.appendChild(el("span", { class: "muted", text: p.area + " · " + (p.address || "") }));
      link.appendChild(el("span", { class: "muted", text: t("due") + " " + (p.visit_due_on || "—") }));
      list.appendChild(el("li", { class: p.overdue ? "is-overdue" : "" }, [link]));
    });
    root.appendChild(list);
  }

  function activities(root, data) {
    var list = el("ul", { class: "list", id: "offline-activities" }, data.activities.map(function (a) {
      return el("li", {}, [el("strong", { text: a.held_on + " · " + a.title }), el("span", { class: "muted", text: a.kind })]);
    }));
    if (!data.activities.length) list.appendChild(el("li", { class: "muted", text: t("no_activities") }));
    root.appendChild(el("section", { class: "card" }, [el("h1", { text: t("activities") }), list]));
  }

  function card(root, p) {
    var facts = el("dl", { class: "facts" });
    [["area", p.area], ["address", p.address || "—"], ["kind", p.kind], ["due", p.visit_due_on || "—"], ["phone", p.phone || "—"]]
      .forEach(function (row) {
        facts.appendChild(el("dt", { text: document.getElementById("label-" + row[0]).textContent }));
        facts.appendChild(el("dd", { text: row[1] }));
      });
    var head = el("h1", { text: p.name + " " }, [el("span", { class: "muted", text: p.gender + " · " + p.age })]);
    var tags = el("p", {}, p.care.map(function (c) { return el("span", { class: "tag", text: c }); }));
    root.appendChild(el("section", { class: "card", id: "offline-card" }, [head, tags, facts, message("offline_card")]));
    var base = "/m/v/" + p.id + "/";
    var actions = el("section", { class: "actions" }, [
      el("a", { class: "button primary", id: "log-visit", href: base + "visit/", text: t("log_visit") }),
      el("a", { class: "button", href: base + "event/", text: t("report_event") }),
    ]);
    if (document.getElementById("tpl-hardship")) {
      actions.appendChild(el("a", { class: "button", href: base + "hardship/", text: t("report_hardship") }));
    }
    if (document.getElementById("tpl-contact")) {
      actions.appendChild(el("a", { class: "button", href: base + "contact/", text: t("contact") }));
    }
    if (document.getElementById("tpl-appeal")) {
      actions.appendChild(el("a", { class: "button", href: "/m/appeals/new/" + p.id + "/", text: t("appeal") }));
    }
    if (document.getElementById("tpl-wish")) {
      actions.appendChild(el("a", { class: "button", href: "/m/wishes/new/" + p.id + "/", text: t("wish") }));
    }
    root.appendChild(actions);
    if (p.events.length) {
      var list = el("ul", { class: "list" }, p.events.map(function (e) {
        return el("li", {}, [el("strong", { text: e.kind }), el("span", { class: "muted", text: e.due_by + (e.note ? " · " + e.note : "") })]);
      }));
      root.appendChild(el("section", { class: "card" }, [el("h2", { text: t("todo") }), list]));
    }
  }

  function form(root, kind, p) {
    var template = document.getElementById("tpl-" + kind);
    if (!template) return root.appendChild(message("no_data"));
    var section = template.content.cloneNode(true);
    section.querySelector(".who").textContent = p.name;
    var node = section.querySelector("form");
    node.removeAttribute("data-template");
    node.setAttribute("data-drawn", "1");
    node.setAttribute("action", location.pathname);
    var now = today();
    var when = node.querySelector("input[name=visited_at]");
    if (when) when.value = now.slice(0, 16);
    ["occurred_on", "reported_on", "received_on"].forEach(function (name) {
      var day = node.querySelector("input[name=" + name + "]");
      if (day) day.value = now.slice(0, 10);
    });
    var shown = { base_version: p.version, residence_address: p.address, shown_residence_address: p.address,
      service_needs: p.service_needs, shown_service_needs: p.service_needs };
    Object.keys(shown).forEach(function (name) {
      var input = node.querySelector("[name=" + name + "]");
      if (input && kind === "contact") input.value = shown[name] === undefined ? "" : shown[name];
    });
    root.appendChild(section);
    O.takeOver(root.querySelector("form"));
  }

  function draw(root) {
    return O.snapshot().then(function (data) {
      if (!data) return root.appendChild(message("no_data"));
      var path = location.pathname;
      if (path === "/m/") return dueList(root, data);
      if (path === "/m/activities/") return activities(root, data);
      var match = path.match(/^\/m\/v\/(\d+)\/(?:(visit|event|hardship|contact)\/)?$/);
      var other = path.match(/^\/m\/(appeals|wishes)\/new\/(\d+)\/$/);
      if (other) match = [path, other[2], other[1] === "appeals" ? "appeal" : "wish"];
      if (!match) return root.appendChild(message("no_data"));
      var person = data.people.filter(function (p) { return String(p.id) === match[1]; })[0];
      if (!person) return root.appendChild(message("not_found"));
      if (match[2]) return form(root, match[2], person);
      return card(root, person);
    });
  }

  function queuePage(root) {
    return O.items().then(function (items) {
      root.textContent = "";
      if (!items.length) return root.appendChild(message("empty"));
      var list = el("ul", { class: "list", id: "queue-items" });
      items.forEach(function (item) {
        var state = item.state === "refused" ? t("refused_one") : t("waiting");
        var row = el("li", { class: "queue-item " + item.state, "data-client-id": item.client_id }, [
          el("strong", { text: item.title }),
          el("span", { class: "muted", text: item.saved_at + " · " + state }),
        ]);
        (item.errors || []).forEach(function (e) {
          e.messages.forEach(function (m) { row.appendChild(el("span", { class: "error", text: (e.label ? e.label + "：" : "") + m })); });
        });
        if (item.message) row.appendChild(el("span", { class: "error", text: item.message }));
        var edit = el("a", { class: "button small", href: item.url + "#edit=" + item.client_id, text: t("edit") });
        var drop = el("button", { type: "button", class: "small", text: t("discard_one") });
        drop.addEventListener("click", function () {
          if (window.confirm(t("discard_confirm"))) O.drop(item.client_id).then(function () { queuePage(root); });
        });
        row.appendChild(el("span", {}, [edit, drop]));
        list.appendChild(row);
      });
      root.appendChild(list);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var shell = document.getElementById("offline-page");
    if (shell) draw(shell);
    var queue = document.getElementById("queue-page");
    if (queue) {
      queuePage(queue);
      window.addEventListener("vg-queue-changed", function () { queuePage(queue); });
    }
  });
})();
