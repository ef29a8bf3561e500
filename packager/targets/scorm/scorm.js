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
  var entry = "";
  var done = false; // the page's work is finished: completed / quiz submitted
  var saved = null; // what suspend_data held at launch, if anything
  // At most one commit in COMMIT_EVERY ms, the first that long after launch; submitting a quiz,
  // completing the page and leaving it commit at once. Few commits matter: an LMS may send
  // them as beacons that its server handles in any order (Moodle does, once a SCO was left in
  // its player), and the incomplete status of a launch committed just before the completed
  // status of a short page could then be stored last.
  var COMMIT_EVERY = 30000;
  var lastCommit = started;
  var commitTimer = null;

  function setCompletion(status) {
    if (mode !== "normal") return;
    if (is2004) lms.set("cmi.completion_status", status);
    else lms.set("cmi.core.lesson_status", status);
  }

  // Commit now: on submit, on completion, on leaving the page.
  function commitNow() {
    clearTimeout(commitTimer);
    commitTimer = null;
    lastCommit = Date.now();
    lms.commit();
  }

  // Commit what changed, at most every COMMIT_EVERY ms.
  function commitSoon() {
    if (commitTimer || !lms.live) return;
    var wait = Math.max(0, lastCommit + COMMIT_EVERY - Date.now());
    commitTimer = setTimeout(commitNow, wait);
  }

  // Reads only what an earlier session stored: reading an element that was never set is
  // error 403 in SCORM 2004. This runtime stores suspend_data in every normal session, so it
  // is there when the LMS resumes (entry "resume") or relaunches a SCO whose status shows an
  // earlier session (entry "", e.g. review after a finished attempt); never at "ab-initio".
  function start() {
    if (!lms.init()) return;
    mode = lms.get(E.mode) || "normal";
    credit = lms.get(E.credit) !== "no-credit";
    entry = lms.get(E.entry);
    var status = is2004 ? lms.get("cmi.completion_status") : lms.get("cmi.core.lesson_status");
    var before = status !== "" && status !== "unknown" && status !== "not attempted";
    if (entry === "resume" || (entry !== "ab-initio" && before)) {
      try {
        saved = JSON.parse(lms.get("cmi.suspend_data") || "null");
      } catch (e) {
        saved = null;
      }
      if (!saved || saved.v !== 1) saved = null;
    }
    done = status === "completed" || status === "passed" || status === "failed";
    if (mode === "browse" && !is2004 && !done) lms.set("cmi.core.lesson_status", "browsed");
    else if (!done && status !== "incomplete") setCompletion("incomplete");
  }

  function suspendData(state) {
    var text = JSON.stringify(state);
    return text.length <= SUSPEND_LIMIT ? text : null;
  }

  // SCORM 2004 always suspends: an LMS hands the run-time data of a SCO back only after
  // exit "suspend" (a normal exit ends the SCO's attempt; Moodle then relaunches it with
  // nothing, so a finished quiz would forget its attempts and show a blank review, and a
  // read lesson would turn incomplete again). SCORM 1.2 keeps the data either way.
  function leave() {
    if (!lms.live) return;
    if (mode === "normal") {
      lms.set(E.sessionTime, timespan(Date.now() - started));
      lms.set(E.exit, is2004 || !done ? "suspend" : "");
    }
    commitNow();
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
    var ia = window.CourseKinds[item.data.kind].interaction(item.data, item.response, NOTATION);
    return { type: ia.type, response: ia.response, pattern: pattern(ia.type, ia.pattern, item.data) };
  }

  // A number as SCORM's real(10,7) has it: no binary artefacts (0.41000000000000003), no
  // exponent.
  function decimal(x) {
    var n = Number(x);
    if (String(x).trim() === "" || !isFinite(n)) return null;
    var text = String(Number(n.toPrecision(12)));
    if (/e/i.test(text)) text = n.toFixed(7).replace(/\.?0+$/, "");
    return text === "-0" ? "0" : text;
  }

  // The correct-response pattern as the data model wants it for the type, or null when the
  // type cannot state it: a short answer with a wildcard is no literal answer.
  function pattern(type, text, q) {
    if (text === null || text === undefined || text === "") return null;
    text = String(text);
    if (type === "numeric") {
      if (!is2004) return decimal(text);
      var ends = text.split("[:]");
      var low = ends[0] === "" ? "" : decimal(ends[0]);
      var high = ends.length > 1 ? (ends[1] === "" ? "" : decimal(ends[1])) : low;
      if (low === null || high === null) return null;
      return low + "[:]" + high;
    }
    if (type === "fill-in" || type === "long-fill-in") {
      if (text.indexOf("*") >= 0) return null;
      // 2004: case matters only when the question says so (the default is that it does not)
      if (is2004 && q.caseSensitive) return "{case_matters=true}" + text;
      if (is2004 && text.charAt(0) === "{") return null; // would read as a delimiter
    }
    return text;
  }

  function result(item) {
    if (item.fraction === null) return "neutral";
    if (item.fraction >= 1) return "correct"; // quiz.js rounds full marks to exactly 1
    if (item.fraction <= 0) return is2004 ? "incorrect" : "wrong";
    return decimal(Math.round(item.fraction * 10000) / 10000);
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
      lms.set(base + "weighting", decimal(item.points));
      if (ia.pattern !== null) lms.set(base + "correct_responses.0.pattern", ia.pattern);
      if (ia.response !== "") lms.set(base + (is2004 ? "learner_response" : "student_response"), ia.response);
      lms.set(base + "result", result(item));
      lms.set(base + "latency", timespan(item.latency));
      n++;
    });
  }

  function reportScore(percent, passed) {
    if (mode !== "normal" || !credit) return;
    var raw = decimal(Math.round(percent * 100) / 100);
    if (is2004) {
      lms.set("cmi.score.min", "0");
      lms.set("cmi.score.max", "100");
      lms.set("cmi.score.raw", raw);
      lms.set("cmi.score.scaled", decimal(Math.round(percent * 100) / 10000));
      lms.set("cmi.success_status", passed ? "passed" : "failed");
      lms.set("cmi.completion_status", "completed");
    } else {
      lms.set("cmi.core.score.min", "0");
      lms.set("cmi.core.score.max", "100");
      lms.set("cmi.core.score.raw", raw);
      lms.set("cmi.core.lesson_status", passed ? "passed" : "failed");
    }
  }

  // ------------------------------------------------------------------ the page

  // suspend_data within the edition's limit: when the whole is too long, the last submitted
  // attempts go first, then answer orders and long typed answers (choices stay).
  function fitted(state) {
    var text = suspendData(state);
    if (text !== null) return text;
    var slim = JSON.parse(JSON.stringify(state));
    slim.last = [];
    text = suspendData(slim);
    if (text !== null) return text;
    (slim.q || []).forEach(function (qs) {
      if (!qs) return;
      delete qs.p;
      Object.keys(qs.r || {}).forEach(function (k) {
        if (typeof qs.r[k] === "string" && qs.r[k].length > 200) delete qs.r[k];
      });
    });
    return suspendData(slim) || "";
  }

  function quizState(quiz) {
    var s = JSON.parse(JSON.stringify(quiz.state()));
    if (s) delete s.l; // latency clocks: meaningless in another session
    return s;
  }

  function run() {
    start();
    var quizzes = window.CourseQuizzes || [];
    // the quiz player did not load (or not every quiz): the SCO can never be completed
    var forms = document.querySelectorAll("form[data-quiz]").length;
    var broken = quizzes.length !== forms || (forms > 0 && !window.CourseKinds);
    if (broken && window.console) console.error("SCORM: the quiz player did not load");
    var items = Array.prototype.slice.call(document.querySelectorAll(".sco-item"));
    var state = { v: 1, loc: 0, mark: "", seen: [], q: [], best: [], last: [] };
    if (saved) {
      state.loc = saved.loc || 0;
      state.mark = saved.mark || "";
      state.seen = saved.seen || [];
      state.best = saved.best || [];
      state.last = saved.last || [];
    }
    var review = mode === "review";

    function persist(now) {
      if (mode !== "normal") return;
      state.q = quizzes.map(quizState);
      lms.set("cmi.suspend_data", fitted(state));
      if (now) commitNow();
      else commitSoon();
    }

    function allDone() {
      var lessonsRead = items.every(function (el, i) {
        return !readToEnd(el) || state.seen.indexOf(i) >= 0;
      });
      var quizzesDone = quizzes.every(function (q, i) {
        return state.best[i] !== undefined && state.best[i] !== null;
      });
      return !broken && lessonsRead && quizzesDone;
    }

    // Reports completion (and the score of the best attempts) once everything is done;
    // ``again``: a quiz was submitted anew, report its best even if reported before. True
    // when it reported (the caller commits at once).
    function finishIfDone(again) {
      if ((done && !again) || !allDone() || mode !== "normal") return false;
      if (quizzes.length) {
        var sum = 0;
        state.best.forEach(function (p) {
          sum += p.p;
        });
        var passed = state.best.every(function (p) {
          return p.ok;
        });
        reportScore(sum / state.best.length, passed);
        if (!credit) setCompletion("completed");
      } else {
        setCompletion("completed");
      }
      done = true;
      return true;
    }

    // lessons: each item page is read to its end
    var watchers = items.map(function (el, i) {
      if (!readToEnd(el)) return null;
      return watchLesson(el, function () {
        if (state.seen.indexOf(i) < 0) state.seen.push(i);
        persist(finishIfDone(false));
      });
    });

    // quizzes: score each submitted attempt; the best attempt is what the LMS keeps
    quizzes.forEach(function (quiz, i) {
      var restored = saved && saved.q ? saved.q[i] : null;
      // review: the last submitted attempt, even when a new one was begun after it
      if (review && (!restored || !restored.s) && state.last[i]) restored = state.last[i];
      quiz.form.addEventListener("quiz:change", function () {
        persist(false);
      });
      quiz.form.addEventListener("quiz:submit", function (ev) {
        var res = ev.detail;
        if (mode !== "normal") return;
        recordInteractions(res, quizzes.length > 1 ? "q" + (i + 1) + "." : "");
        var best = state.best[i];
        if (!best || res.percent > best.p || (res.passed && !best.ok)) {
          state.best[i] = { p: res.percent, ok: res.passed };
        }
        state.last[i] = quizState(quiz);
        finishIfDone(true);
        persist(true);
      });
      try {
        quiz.init({ state: restored, review: review, noRetry: review, silent: !!restored });
      } catch (e) {
        broken = true; // e.g. kinds.js did not load: the quiz cannot be taken
        if (window.console) console.error("SCORM: the quiz player failed: " + e);
      }
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
        if (mode === "normal") lms.set(E.location, String(state.loc));
        persist(false);
        var heading = items[state.loc].querySelector("h1");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      });
      show(state.loc);
    } else if (items.length === 1 && watchers[0]) {
      // a lesson: remember the section being read, return to it when the LMS resumes
      if (state.mark && entry === "resume") {
        var el = document.getElementById(state.mark);
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
            if (mark && mark !== state.mark && mode === "normal") {
              state.mark = mark;
              lms.set(E.location, mark);
              persist(false);
            }
          }, 400);
        },
        { passive: true }
      );
    }
    // every normal session stores suspend_data at once (see start()), committed with the rest
    persist(finishIfDone(false));
    window.addEventListener("pagehide", leave);
    window.addEventListener("beforeunload", leave);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && lms.live) commitNow();
    });
    window.CourseSco = { lms: lms, state: state, leave: leave, broken: broken };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
