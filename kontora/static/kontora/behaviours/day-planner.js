/*
 * day-planner: the day planner (data-k-day-planner="<id of its JSON island>") drawn by FullCalendar's time grid
 * (vendored, loaded by that page only). Tasks come from the island (core: activity.views.planner.day) on the
 * viewer's wall clock, so the calendar runs in "UTC" and never converts them. A block moved or stretched is
 * posted at once to its moveUrl with the start and length the page saw; a refusal puts it back and shows the
 * message as a toast (the k:refused event). A double click opens the task; the right button opens the page's menu
 * (data-k-day-menu), whose data-k-day-open item opens the task under the pointer.
 */
(function () {
  "use strict";

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function wallClock(date) {
    // The calendar keeps wall-clock times as UTC: its ISO form without the zone is the viewer's time.
    return date.toISOString().slice(0, 16);
  }

  function refuse(message) {
    document.dispatchEvent(new CustomEvent("k:refused", { detail: { message: message } }));
  }

  function save(info) {
    var task = info.event;
    var minutes = Math.round((task.end - task.start) / 60000);
    var body = new URLSearchParams();
    body.set("starts_at", wallClock(task.start));
    body.set("duration_minutes", String(minutes));
    body.set("seen_starts_at", task.extendedProps.seenStart);
    body.set("seen_duration", String(task.extendedProps.seenDuration));
    var element = info.el;
    if (element) element.setAttribute("data-k-saving", "");
    fetch(task.extendedProps.moveUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (saved) {
          task.setExtendedProp("seenStart", saved.seenStart);
          task.setExtendedProp("seenDuration", saved.seenDuration);
        });
      }
      return response.text().then(function (text) {
        info.revert();
        refuse(text || response.statusText);
      });
    }).catch(function () {
      info.revert();
      refuse(document.documentElement.lang === "ru" ? "Сервер недоступен: задача не перенесена." :
        "The server is unreachable: the task was not moved.");
    }).then(function () {
      var shown = document.querySelector('[data-task-id="' + task.id + '"]');
      if (shown) shown.removeAttribute("data-k-saving");
    });
  }

  function showMenu(holder, event, href) {
    var menu = document.getElementById(holder.getAttribute("data-k-day-menu"));
    if (!menu) return;
    event.preventDefault();
    var open = menu.querySelector("[data-k-day-open]");
    if (open) {
      open.classList.toggle("d-none", !href);
      open.setAttribute("href", href || "#");
    }
    menu.classList.add("k-row-menu", "show");
    menu.style.position = "fixed";
    menu.style.left = event.clientX + "px";
    menu.style.top = event.clientY + "px";
    var rect = menu.getBoundingClientRect();
    if (rect.bottom > window.innerHeight) menu.style.top = Math.max(0, window.innerHeight - rect.height) + "px";
    if (rect.right > window.innerWidth) menu.style.left = Math.max(0, event.clientX - rect.width) + "px";
  }

  function start(holder) {
    if (holder.hasAttribute("data-k-drawn") || !window.FullCalendar) return;
    holder.setAttribute("data-k-drawn", "");
    var island = document.getElementById(holder.getAttribute("data-k-day-planner"));
    var data = JSON.parse(island.textContent);
    var calendar = new window.FullCalendar.Calendar(holder, {
      initialView: "timeGridDay",
      initialDate: data.date,
      timeZone: "UTC",
      locale: data.locale,
      headerToolbar: false,
      allDaySlot: false,
      dayHeaders: false,
      height: "auto",
      slotDuration: "00:15:00",
      snapDuration: "00:15:00",
      slotLabelInterval: "00:15:00",
      slotMinTime: data.from,
      slotMaxTime: data.to,
      scrollTime: data.from,
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
      nowIndicator: false,
      editable: false,
      eventOverlap: true,
      events: data.events.map(function (item) {
        return {
          id: item.id, title: item.title, start: item.start, end: item.end, classNames: item.classNames,
          startEditable: item.editable, durationEditable: item.editable,
          extendedProps: { href: item.url, moveUrl: item.moveUrl, seenStart: item.seenStart,
                           seenDuration: item.seenDuration }
        };
      }),
      eventDidMount: function (info) {
        info.el.setAttribute("data-task-id", info.event.id);
        info.el.setAttribute("data-testid", "day-task");
        info.el.setAttribute("title", info.event.title);
      },
      eventDrop: save,
      eventResize: save
    });
    calendar.render();
    holder.addEventListener("dblclick", function (event) {
      var block = event.target.closest("[data-task-id]");
      var task = block && calendar.getEventById(block.getAttribute("data-task-id"));
      if (task) window.location.assign(task.extendedProps.href);
    });
    holder.addEventListener("contextmenu", function (event) {
      var block = event.target.closest("[data-task-id]");
      var task = block && calendar.getEventById(block.getAttribute("data-task-id"));
      showMenu(holder, event, task ? task.extendedProps.href : "");
    });
  }

  function startAll() {
    var holders = document.querySelectorAll("[data-k-day-planner]");
    for (var i = 0; i < holders.length; i++) start(holders[i]);
  }

  // Deferred scripts run in order and FullCalendar's comes after the behaviours: start once all of them have run.
  if (document.readyState === "complete") startAll();
  else document.addEventListener("DOMContentLoaded", startAll);
})();
