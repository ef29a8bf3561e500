/* The question kinds: one entry per kind, shared by the quiz player (quiz.js) and the SCORM
 * runtime (scorm.js). Each says how to shuffle and lay out its options, read and restore an
 * answer, tell whether it is answered, grade it by Moodle's rules, state the right answer, and
 * report it as a SCORM interaction. The data of each question comes from packager/questions/. */
(function () {
  "use strict";

  function all(section, selector) {
    return Array.prototype.slice.call(section.querySelectorAll(selector));
  }

  function right(list) {
    return list.filter(function (x) {
      return x.fraction >= 1;
    })[0];
  }

  // ------------------------------------------------------------------ matching typed answers

  function normalise(text) {
    return String(text).replace(/\s+/g, " ").trim();
  }

  function wildcardMatch(response, pattern, caseSensitive) {
    var source = normalise(pattern)
      .split("*")
      .map(function (part) {
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join(".*");
    return new RegExp("^" + source + "$", caseSensitive ? "u" : "iu").test(normalise(response));
  }

  function parseNumber(text) {
    var t = String(text).replace(/\s+/g, "").replace(",", ".");
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
    return parseFloat(t);
  }

  function matchText(answers, response, caseSensitive) {
    for (var i = 0; i < answers.length; i++) {
      if (wildcardMatch(response, answers[i].text, caseSensitive)) return i;
    }
    return -1;
  }

  function matchNumber(answers, response, valueKey) {
    var x = parseNumber(response);
    if (x === null) return -1;
    for (var i = 0; i < answers.length; i++) {
      var a = answers[i];
      var value = valueKey === "text" ? parseFloat(a.text) : a.value;
      if (Math.abs(x - value) <= (a.tolerance || 0) + 1e-12) return i;
    }
    return -1;
  }

  function gapFraction(gap, value) {
    if (value === null || value === undefined || String(value).trim() === "") return { f: 0, i: -1 };
    var i;
    if (gap.kind === "dropdown") i = Number(value);
    else if (gap.kind === "numeric") i = matchNumber(gap.options, value, "text");
    else i = matchText(gap.options, value, gap.caseSensitive);
    return { f: i >= 0 ? gap.options[i].fraction : 0, i: i };
  }

  // One answer picked from a list of answers with a fraction and feedback each.
  function picked(list, i) {
    if (i === null || i < 0) return { fraction: 0, feedback: [] };
    return { fraction: list[i].fraction, feedback: list[i].feedback ? [list[i].feedback] : [] };
  }

  // ------------------------------------------------------------------ the kinds

  var typed = {
    read: function (section) {
      return section.querySelector("input[type=text], textarea").value;
    },
    write: function (section, value) {
      section.querySelector("input[type=text], textarea").value = value;
    },
    answered: function (r) {
      return String(r).trim() !== "";
    },
  };

  function choices(single) {
    return {
      shuffles: true,
      count: function (q) {
        return q.options.length;
      },
      arrange: function (section, perm) {
        var list = section.querySelector(".choices");
        perm.forEach(function (i) {
          list.appendChild(list.querySelector('[data-option="' + i + '"]'));
        });
      },
      read: function (section) {
        var checked = all(section, "input:checked").map(function (el) {
          return Number(el.value);
        });
        if (single) return checked.length ? checked[0] : null;
        return checked.sort(function (a, b) {
          return a - b;
        });
      },
      write: function (section, value) {
        var wanted = [].concat(value);
        all(section, "input").forEach(function (el) {
          el.checked = wanted.indexOf(Number(el.value)) >= 0;
        });
      },
      answered: function (r) {
        return single ? r !== null : r.length > 0;
      },
      grade: function (q, r) {
        if (single) return picked(q.options, r);
        var out = { fraction: 0, feedback: [] };
        r.forEach(function (i) {
          out.fraction += q.options[i].fraction;
          if (q.options[i].feedback) out.feedback.push(q.options[i].feedback);
        });
        return out;
      },
      right: function (q) {
        return q.options
          .filter(function (o) {
            return o.fraction > 0;
          })
          .map(function (o) {
            return o.text;
          })
          .join("; ");
      },
      interaction: function (q, r, f) {
        var chosen = single ? (r === null ? [] : [r]) : r;
        var rights = [];
        q.options.forEach(function (o, i) {
          if (single ? o.fraction >= 1 : o.fraction > 0) rights.push(i);
        });
        return {
          type: "choice",
          response: f.joinList(f.choiceIds(chosen)),
          pattern: f.joinList(f.choiceIds(rights)),
        };
      },
    };
  }

  var KINDS = {
    single: choices(true),
    multiple: choices(false),
    truefalse: {
      read: function (section) {
        var t = section.querySelector("input:checked");
        return t ? t.value === "true" : null;
      },
      write: function (section, value) {
        all(section, "input").forEach(function (el) {
          el.checked = el.value === String(value);
        });
      },
      answered: function (r) {
        return r !== null;
      },
      grade: function (q, r) {
        if (r === null) return { fraction: 0, feedback: [] };
        var fb = q.optionFeedback[String(r)];
        return { fraction: r === q.answer ? 1 : 0, feedback: fb ? [fb] : [] };
      },
      right: function (q, labels) {
        return q.answer ? labels.true : labels.false;
      },
      interaction: function (q, r, f) {
        var word = function (v) {
          return f.is2004 ? String(v) : v ? "t" : "f";
        };
        return { type: "true-false", response: r === null ? "" : word(r), pattern: word(q.answer) };
      },
    },
    short: {
      read: typed.read,
      write: typed.write,
      answered: typed.answered,
      grade: function (q, r) {
        return picked(q.answers, matchText(q.answers, r, q.caseSensitive));
      },
      right: function (q) {
        return right(q.answers).text;
      },
      interaction: function (q, r, f) {
        return { type: "fill-in", response: f.clean(r, 250), pattern: f.clean(right(q.answers).text, 250) };
      },
    },
    numerical: {
      read: typed.read,
      write: typed.write,
      answered: typed.answered,
      grade: function (q, r) {
        return picked(q.answers, matchNumber(q.answers, r, "value"));
      },
      right: function (q) {
        var a = right(q.answers);
        return a.tolerance ? a.value + " ± " + a.tolerance : String(a.value);
      },
      interaction: function (q, r, f) {
        var value = String(r).replace(",", ".").replace(/\s+/g, "");
        var a = right(q.answers);
        return {
          type: "numeric",
          response: /^-?\d{1,5}(\.\d{1,18})?$/.test(value) ? value : "",
          pattern: f.is2004 ? a.value - a.tolerance + "[:]" + (a.value + a.tolerance) : String(a.value),
        };
      },
    },
    matching: {
      shuffles: true,
      count: function (q) {
        return q.options.length;
      },
      arrange: function (section, perm) {
        all(section, "select").forEach(function (select) {
          perm.forEach(function (i) {
            select.appendChild(select.querySelector('option[value="' + i + '"]'));
          });
        });
      },
      read: function (section) {
        return all(section, "select").map(function (el) {
          return el.value === "" ? null : Number(el.value);
        });
      },
      write: function (section, value) {
        all(section, "select").forEach(function (el, i) {
          el.value = value[i] === null || value[i] === undefined ? "" : String(value[i]);
        });
      },
      answered: function (r) {
        return r.some(function (v) {
          return v !== null;
        });
      },
      grade: function (q, r) {
        var inPlace = 0;
        q.correct.forEach(function (c, i) {
          if (r[i] === c) inPlace++;
        });
        return { fraction: inPlace / q.correct.length, feedback: [] };
      },
      right: function (q) {
        return q.prompts
          .map(function (p, i) {
            return p + " → " + q.options[q.correct[i]];
          })
          .join("; ");
      },
      interaction: function (q, r, f) {
        var pairs = [];
        var rights = [];
        var join = f.is2004 ? "[.]" : ".";
        q.correct.forEach(function (c, i) {
          var left = f.is2004 ? "p" + (i + 1) : String(i + 1);
          if (r[i] !== null && r[i] !== undefined) pairs.push(left + join + f.choiceIds([r[i]])[0]);
          rights.push(left + join + f.choiceIds([c])[0]);
        });
        return { type: "matching", response: f.joinList(pairs), pattern: f.joinList(rights) };
      },
    },
    ordering: {
      // always shuffled: never shown in the right order (unless it has one item)
      count: function (q) {
        return q.items.length;
      },
      mustShuffle: true,
      arrange: function (section, perm) {
        var list = section.querySelector(".order-list");
        var items = {};
        all(list, "li").forEach(function (li) {
          items[li.getAttribute("data-item")] = li;
        });
        perm.forEach(function (i) {
          list.appendChild(items[i]);
        });
      },
      read: function (section) {
        return all(section, ".order-list li").map(function (li) {
          return Number(li.getAttribute("data-item"));
        });
      },
      write: function (section, value) {
        KINDS.ordering.arrange(section, value);
      },
      answered: function () {
        return true;
      },
      grade: function (q, r) {
        var inPlace = 0;
        r.forEach(function (item, pos) {
          if (item === pos) inPlace++;
        });
        return { fraction: inPlace / r.length, feedback: [] };
      },
      right: function (q) {
        return q.items.join(" → ");
      },
      interaction: function (q, r, f) {
        var order = q.items.map(function (_, i) {
          return i;
        });
        return { type: "sequencing", response: f.joinList(f.choiceIds(r)), pattern: f.joinList(f.choiceIds(order)) };
      },
    },
    cloze: {
      read: function (section) {
        return all(section, "select, input.gap-input").map(function (el) {
          if (el.tagName === "SELECT") return el.value === "" ? null : Number(el.value);
          return el.value;
        });
      },
      write: function (section, value) {
        all(section, "select, input.gap-input").forEach(function (el, i) {
          var v = value[i];
          el.value = v === null || v === undefined ? "" : String(v);
        });
      },
      answered: function (r) {
        return r.some(function (v) {
          return v !== null && String(v).trim() !== "";
        });
      },
      grade: function (q, r) {
        var total = 0;
        var got = 0;
        var fb = [];
        q.gaps.forEach(function (gap, i) {
          var g = gapFraction(gap, r[i]);
          total += gap.points;
          got += Math.max(0, g.f) * gap.points;
          if (g.i >= 0 && gap.options[g.i].feedback) fb.push(gap.options[g.i].feedback);
        });
        return { fraction: total ? got / total : 0, feedback: fb };
      },
      right: function (q) {
        return q.gaps
          .map(function (g) {
            return right(g.options).text;
          })
          .join("; ");
      },
      interaction: function (q, r, f) {
        var many = q.gaps.length > 10;
        var texts = r.map(function (v, i) {
          var gap = q.gaps[i];
          if (gap.kind === "dropdown") return v === null || v === undefined ? "" : gap.options[v].text;
          return v || "";
        });
        var rights = q.gaps.map(function (g) {
          return right(g.options).text;
        });
        var sep = f.is2004 && !many ? "[,]" : ",";
        var limit = f.is2004 ? 4000 : 255;
        return {
          type: f.is2004 && many ? "long-fill-in" : "fill-in",
          response: f.clean(texts.join(sep), limit),
          pattern: f.clean(rights.join(sep), limit),
        };
      },
    },
    essay: {
      read: typed.read,
      write: typed.write,
      answered: typed.answered,
      grade: null, // graded by a person: no fraction
      right: function () {
        return "";
      },
      interaction: function (q, r, f) {
        return { type: f.is2004 ? "long-fill-in" : "fill-in", response: f.clean(r, f.is2004 ? 4000 : 255), pattern: null };
      },
    },
    description: {
      read: function () {
        return null;
      },
      write: function () {},
      answered: function () {
        return false;
      },
      grade: null,
      right: function () {
        return "";
      },
    },
  };

  window.CourseKinds = KINDS;
})();
