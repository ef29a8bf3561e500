/* SCORM runtime of a lesson or quiz page, for SCORM 1.2 and SCORM 2004 4th edition.
 *
 * The page's <body> says which edition the package is (data-scorm="1.2" or "2004") and what
 * it holds (data-sco="lesson" | "quiz" | "assignment" | "forum" | "module"). Every item but a
 * quiz is a page read to its end. Without an LMS the page still works and simply records
 * nothing. */
(function () {
  "use strict";

  var body = document.body;
  var edition = body.getAttribute("data-scorm");
  var kind = body.getAttribute("data-sco");
  var is2004 = edition === "2004";
  var SUSPEND_LIMIT = is2004 ? 64000 : 4096;

  // ------------------------------------------------------------------ finding the API

  function findIn(win, name) {
    for (var hops = 0; win && hops < 500; hops++) {
      try {
        if (win[name]) return win[name];
        if (win.parent === win) return null;
        win = win.parent;
      } catch (e) {
        return null; // a frame of another origin: nothing further up can be read
      }
    }
    return null;
  }

  function findAPI() {
    var name = is2004 ? "API_1484_11" : "API";
    var api = findIn(window, name);
    if (!api) {
      try {
        if (window.opener) api = findIn(window.opener, name);
      } catch (e) {
        api = null;
      }
    }
    return api;
  }

  // ------------------------------------------------------------------ one wrapper, two editions

  var api = findAPI();
  var lms = {
    live: false,
    finished: false,
    call: function (name12, name2004, args) {
      if (!this.live && name12 !== "LMSInitialize") return "";
      var fn = api[is2004 ? name2004 : name12];
      var result = fn.apply(api, args);
      var code = String(api[is2004 ? "GetLastError" : "LMSGetLastError"]());
      if (code !== "0" && code !== "") {
        var text = api[is2004 ? "GetErrorString" : "LMSGetErrorString"](code);
        if (window.console) console.warn("SCORM " + (is2004 ? name2004 : name12) + " " + (args[0] || "") + ": " + code + " " + text);
      }
      return result;
    },
    init: function () {
      if (!api) return false;
      var ok = String(this.call("LMSInitialize", "Initialize", [""])) === "true";
      this.live = ok;
      return ok;
    },
    get: function (element) {
      return this.live ? String(this.call("LMSGetValue", "GetValue", [element])) : "";
    },
    set: function (element, value) {
      if (this.live) this.call("LMSSetValue", "SetValue", [element, String(value)]);
    },
    commit: function () {
      if (this.live) this.call("LMSCommit", "Commit", [""]);
    },
    finish: function () {
      if (!this.live || this.finished) return;
      this.finished = true;
      this.call("LMSFinish", "Terminate", [""]);
      this.live = false;
    },
  };

  // ------------------------------------------------------------------ data model names

  var E = is2004
    ? {
        entry: "cmi.entry",
        mode: "cmi.mode",
        credit: "cmi.credit",
        location: "cmi.location",
        exit: "cmi.exit",
        sessionTime: "cmi.session_time",
      }
    : {
        entry: "cmi.core.entry",
        mode: "cmi.core.lesson_mode",
        credit: "cmi.core.credit",
        location: "cmi.core.lesson_location",
        exit: "cmi.core.exit",
        sessionTime: "cmi.core.session_time",
      };

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // 1.2: HH:MM:SS.SS (hours at least two digits); 2004: PT#H#M#S, at most two decimals.
  function timespan(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = (cs % 6000) / 100;
    if (is2004) return "PT" + h + "H" + m + "M" + s.toFixed(2).replace(/\.?0+$/, "") + "S";
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s.toFixed(2), 5);
  }

  function timeOfDay(date) {
    if (is2004) {
      return (
        date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1, 2) + "-" + pad(date.getUTCDate(), 2) +
        "T" + pad(date.getUTCHours(), 2) + ":" + pad(date.getUTCMinutes(), 2) + ":" + pad(date.getUTCSeconds(), 2) +
        // a time zone may only follow fractions of a second in SCORM 2004's time format
        "." + pad(Math.floor(date.getUTCMilliseconds() / 10), 2) + "Z"
      );
    }
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // ------------------------------------------------------------------ session

  var started = Date.now();
  var mode = "normal";
  var credit = true;
  var done = false; // the page's work is finished: completed / quiz submitted
  var saved = {}; // what suspend_data held at launch

  function setCompletion(status) {
    if (mode !== "normal") return;
    if (is2004) lms.set("cmi.completion_status", status);
    else lms.set("cmi.core.lesson_status", status);
  }

  function start() {
    if (!lms.init()) return;
    mode = lms.get(E.mode) || "normal";
    credit = lms.get(E.credit) !== "no-credit";
    var entry = lms.get(E.entry);
    var data = lms.get("cmi.suspend_data");
    if (data) {
      try {
        saved = JSON.parse(data);
      } catch (e) {
        saved = {};
      }
    }
    var status = is2004 ? lms.get("cmi.completion_status") : lms.get("cmi.core.lesson_status");
    done = status === "completed" || status === "passed" || status === "failed";
    if (mode === "browse" && !is2004 && !done) lms.set("cmi.core.lesson_status", "browsed");
    else if (!done && status !== "incomplete") setCompletion("incomplete");
    if (entry !== "resume") saved.fresh = true;
    lms.commit();
  }

  function suspendData(state) {
    var text = JSON.stringify(state);
    return text.length <= SUSPEND_LIMIT ? text : null;
  }

  function leave() {
    if (!lms.live) return;
    if (mode === "normal") {
      lms.set(E.sessionTime, timespan(Date.now() - started));
      lms.set(E.exit, done ? (is2004 ? "normal" : "") : "suspend");
    }
    lms.commit();
    lms.finish();
  }

  // ------------------------------------------------------------------ lessons: reading to the end

  // lessons, assignments and forums: done once read to the end (a quiz: once submitted)
  function readToEnd(item) {
    return item.getAttribute("data-kind") !== "quiz";
  }

  function watchLesson(root, onEnd) {
    var end = root.querySelector(".sco-end");
    var headings = Array.prototype.slice.call(root.querySelectorAll("h2[id], h3[id]"));
    var reached = false;
    function check() {
      if (reached || !end) return;
      var rect = end.getBoundingClientRect();
      if (rect.top < (window.innerHeight || document.documentElement.clientHeight) && rect.height >= 0) {
        reached = true;
        onEnd();
      }
    }
    function bookmark() {
      var current = "";
      headings.forEach(function (h) {
        if (h.getBoundingClientRect().top < 80) current = h.id;
      });
      return current;
    }
    window.addEventListener("scroll", check, { passive: true });
    window.addEventListener("resize", check);
    setTimeout(check, 300);
    return { check: check, bookmark: bookmark };
  }

  // ------------------------------------------------------------------ quizzes: score and interactions

  var LETTERS = "abcdefghijklmnopqrstuvwxyz";

  function choiceIds(list) {
    return list.map(function (i) {
      return is2004 ? "c" + (i + 1) : LETTERS.charAt(i);
    });
  }

  function joinList(list) {
    return list.join(is2004 ? "[,]" : ",");
  }

  function clean(text, limit) {
    var t = String(text).replace(/\s+/g, " ").trim();
    if (!is2004) t = t.replace(/[^\x20-\x7E\u00A0-\uFFFF]/g, "");
    return t.slice(0, limit);
  }

  // The interaction of one question (type, learner response, correct pattern): each kind
  // formats its own (kinds.js), in this edition's notation.
  var NOTATION = { is2004: is2004, choiceIds: choiceIds, joinList: joinList, clean: clean };

  function interaction(item) {
    return window.CourseKinds[item.data.kind].interaction(item.data, item.response, NOTATION);
  }

  function result(item) {
    if (item.fraction === null) return "neutral";
    if (item.fraction >= 1) return "correct"; // quiz.js rounds full marks to exactly 1
    if (item.fraction <= 0) return is2004 ? "incorrect" : "wrong";
    return String(Math.round(item.fraction * 10000) / 10000);
  }

  function recordInteractions(res, prefix) {
    var n = parseInt(lms.get("cmi.interactions._count"), 10) || 0;
    var now = new Date();
    res.questions.forEach(function (item) {
      var ia = interaction(item);
      var base = "cmi.interactions." + n + ".";
      lms.set(base + "id", prefix + item.data.ref);
      lms.set(base + "type", ia.type);
      if (is2004) {
        lms.set(base + "timestamp", timeOfDay(now));
        lms.set(base + "description", clean(item.data.prompt || item.data.ref, 250));
      } else {
        lms.set(base + "time", timeOfDay(now));
      }
      lms.set(base + "weighting", item.points);
      if (ia.pattern !== null && ia.pattern !== "") lms.set(base + "correct_responses.0.pattern", ia.pattern);
      if (ia.response !== "") lms.set(base + (is2004 ? "learner_response" : "student_response"), ia.response);
      lms.set(base + "result", result(item));
      lms.set(base + "latency", timespan(item.latency));
      n++;
    });
  }

  function reportScore(percent, passed) {
    if (mode !== "normal" || !credit) return;
    var raw = String(Math.round(percent * 100) / 100);
    if (is2004) {
      lms.set("cmi.score.min", "0");
      lms.set("cmi.score.max", "100");
      lms.set("cmi.score.raw", raw);
      lms.set("cmi.score.scaled", String(Math.round(percent * 100) / 10000));
      lms.set("cmi.success_status", passed ? "passed" : "failed");
      lms.set("cmi.completion_status", "completed");
    } else {
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      lms.set("cmi.core.score.raw", raw);
      lms.set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
  }

  // The pass mark: the LMS's scaled passing score (from the manifest) when it gives one.
  function passMark(quiz) {
    if (is2004 && lms.live) {
      var scaled = lms.get("cmi.scaled_passing_score");
      if (scaled !== "" && !isNaN(parseFloat(scaled))) return parseFloat(scaled) * 100;
    }
    return quiz.data.passPercentage;
  }

  // ------------------------------------------------------------------ the page

  function save(state) {
    if (mode !== "normal") return;
    var text = suspendData(state);
    if (text === null) {
      // over the edition's limit: drop the bulkiest parts, keep answers of choice questions
      var slim = JSON.parse(JSON.stringify(state));
      (slim.q || []).forEach(function (qs) {
        if (!qs) return;
        delete qs.p;
        Object.keys(qs.r || {}).forEach(function (k) {
          if (typeof qs.r[k] === "string" && qs.r[k].length > 200) delete qs.r[k];
        });
      });
      text = suspendData(slim) || "";
    }
    lms.set("cmi.suspend_data", text);
    lms.commit();
  }

  function quizState(quiz) {
    var s = JSON.parse(JSON.stringify(quiz.state()));
    delete s.l; // latency clocks: meaningless in another session
    return s;
  }

  function run() {
    start();
    var quizzes = window.CourseQuizzes || [];
    var items = Array.prototype.slice.call(document.querySelectorAll(".sco-item"));
    var state = { v: 1, loc: 0, seen: [], q: [], best: [] };
    if (!saved.fresh && saved.v === 1) {
      state.loc = saved.loc || 0;
      state.seen = saved.seen || [];
      state.best = saved.best || [];
    }
    var review = mode === "review";

    function persist() {
      state.q = quizzes.map(quizState);
      save(state);
    }

    function allDone() {
      var lessonsRead = items.every(function (el, i) {
        return !readToEnd(el) || state.seen.indexOf(i) >= 0;
      });
      var quizzesDone = quizzes.every(function (q, i) {
        return state.best[i] !== undefined && state.best[i] !== null;
      });
      return lessonsRead && quizzesDone;
    }

    function finishIfDone() {
      if (done || !allDone()) return;
      if (quizzes.length) {
        var percents = state.best;
        var sum = 0;
        percents.forEach(function (p) {
          sum += p.p;
        });
        var passed = percents.every(function (p) {
          return p.ok;
        });
        reportScore(sum / percents.length, passed);
        if (!credit || mode !== "normal") setCompletion("completed");
      } else {
        setCompletion("completed");
      }
      done = true;
      lms.commit();
    }

    // lessons: each item page is read to its end
    var watchers = items.map(function (el, i) {
      if (!readToEnd(el)) return null;
      return watchLesson(el, function () {
        if (state.seen.indexOf(i) < 0) state.seen.push(i);
        persist();
        finishIfDone();
      });
    });

    // quizzes: score each submitted attempt; the best attempt is what the LMS keeps
    quizzes.forEach(function (quiz, i) {
      var saved_q = !saved.fresh && saved.q ? saved.q[i] : null;
      quiz.data.passPercentage = passMark(quiz);
      quiz.form.addEventListener("quiz:change", persist);
      quiz.form.addEventListener("quiz:submit", function (ev) {
        var res = ev.detail;
        if (mode === "normal") {
          recordInteractions(res, quizzes.length > 1 ? "q" + (i + 1) + "." : "");
          var best = state.best[i];
          if (!best || res.percent > best.p || (res.passed && !best.ok)) {
            state.best[i] = { p: res.percent, ok: res.passed };
          }
        }
        persist();
        if (done && mode === "normal" && credit) {
          // a later attempt within the same session: report the best again
          done = false;
        }
        finishIfDone();
      });
      quiz.init({ state: saved_q, review: review, noRetry: review, silent: !!saved_q });
    });

    // one item shown at a time when the page holds a whole module
    var pager = document.querySelector(".sco-pager");
    function show(index) {
      if (!pager) return;
      state.loc = Math.max(0, Math.min(items.length - 1, index));
      items.forEach(function (el, i) {
        el.hidden = i !== state.loc;
      });
      pager.querySelector('[data-go="prev"]').disabled = state.loc === 0;
      pager.querySelector('[data-go="next"]').disabled = state.loc === items.length - 1;
      pager.querySelector(".sco-position").textContent = state.loc + 1 + " / " + items.length;
      if (watchers[state.loc]) watchers[state.loc].check();
    }
    if (pager) {
      pager.addEventListener("click", function (ev) {
        var b = ev.target.closest("button[data-go]");
        if (!b) return;
        show(state.loc + (b.getAttribute("data-go") === "next" ? 1 : -1));
        lms.set(E.location, String(state.loc));
        persist();
        var heading = items[state.loc].querySelector("h1");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      });
      var where = parseInt(lms.get(E.location), 10);
      show(isNaN(where) ? state.loc : where);
    } else if (items.length === 1 && watchers[0]) {
      // a lesson: remember the section being read, return to it on the next launch
      var target = lms.get(E.location);
      if (target && !saved.fresh) {
        var el = document.getElementById(target);
        var restore = function () {
          if (el) el.scrollIntoView({ block: "start", behavior: "instant" });
        };
        restore();
        // again once images and fonts are in: the page's height may still change until then
        if (document.readyState !== "complete") window.addEventListener("load", restore, { once: true });
      }
      var timer = null;
      window.addEventListener(
        "scroll",
        function () {
          clearTimeout(timer);
          timer = setTimeout(function () {
            var mark = watchers[0].bookmark();
            if (mark && mode === "normal") {
              lms.set(E.location, mark);
              lms.commit();
            }
          }, 400);
        },
        { passive: true }
      );
    }
    finishIfDone();
    window.addEventListener("pagehide", leave);
    window.addEventListener("beforeunload", leave);
    window.CourseSco = { lms: lms, state: state, leave: leave };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
