/* The question kinds: one entry per kind, shared by the quiz player (quiz.js) and the SCORM
 * runtime (scorm.js). Each says how to shuffle and lay out its options, read and restore an
 * answer, tell whether it is answered, grade it by Moodle's rules, state the right answer, and
 * report it as a SCORM interaction. The data of each question comes from packager/questions/. */
(function () {
  "use strict";

  function all(section, selector) {
    return Array.prototype.slice.call(section.querySelectorAll(selector));
  }

  // ------------------------------------------------------------------ hidden keys
  // The quiz data holds no answer in clear (see packager/questions/keys.py, which writes what
  // this reads; the two must agree byte for byte): typed answers are salted SHA-256 tags of
  // their normalised text, what an answer earns (grade, feedback) is sealed with a key stream
  // derived from that text, and numbers and the right answers shown after an attempt are
  // sealed under the salt alone. SHA-256 is written out here because crypto.subtle is
  // asynchronous and missing from pages served over plain http.

  var K = [];
  var H0 = [];
  (function () {
    var frac = function (x) {
      return ((x - Math.floor(x)) * 4294967296) | 0;
    };
    for (var n = 2; K.length < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) {
        if (n % d === 0) {
          prime = false;
          break;
        }
      }
      if (!prime) continue;
      if (H0.length < 8) H0.push(frac(Math.sqrt(n)));
      K.push(frac(Math.cbrt(n)));
    }
  })();

  function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256(bytes) {
    var len = bytes.length;
    var end = Math.ceil((len + 9) / 64) * 64;
    var m = new Uint8Array(end);
    m.set(bytes);
    m[len] = 0x80;
    var bits = len * 8;
    var high = Math.floor(bits / 4294967296);
    for (var b = 0; b < 4; b++) {
      m[end - 1 - b] = (bits >>> (8 * b)) & 255;
      m[end - 5 - b] = (high >>> (8 * b)) & 255;
    }
    var h = H0.slice();
    var w = new Int32Array(64);
    for (var off = 0; off < end; off += 64) {
      var t;
      for (t = 0; t < 16; t++) {
        var j = off + t * 4;
        w[t] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3];
      }
      for (t = 16; t < 64; t++) {
        var x = w[t - 15];
        var y = w[t - 2];
        var s0 = ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
        var s1 = ror(y, 17) ^ ror(y, 19) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], c1 = h[1], c2 = h[2], c3 = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var t1 = (k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & c1) ^ (a & c2) ^ (c1 & c2))) | 0;
        k = g;
        g = f;
        f = e;
        e = (c3 + t1) | 0;
        c3 = c2;
        c2 = c1;
        c1 = a;
        a = (t1 + t2) | 0;
      }
      var add = [a, c1, c2, c3, e, f, g, k];
      for (t = 0; t < 8; t++) h[t] = (h[t] + add[t]) | 0;
    }
    var out = new Uint8Array(32);
    for (var i = 0; i < 32; i++) out[i] = (h[i >> 2] >>> (24 - 8 * (i & 3))) & 255;
    return out;
  }

  function digest(parts) {
    return sha256(new TextEncoder().encode(parts.join("\x1f")));
  }

  // 64 bits of a salted SHA-256 of a normalised response.
  function tag(salt, label, text) {
    var d = digest([salt, "tag", label, text]);
    var hex = "";
    for (var i = 0; i < 8; i++) hex += (d[i] < 16 ? "0" : "") + d[i].toString(16);
    return hex;
  }

  // What a seal holds, opened with the text that earns it; null if it is not a seal.
  function open(salt, label, text, box) {
    if (typeof box !== "string") return null;
    try {
      var raw = atob(box);
      var bytes = new Uint8Array(raw.length);
      var stream = null;
      for (var i = 0; i < raw.length; i++) {
        if (i % 32 === 0) stream = digest([salt, "key", label, text, String(i / 32)]);
        bytes[i] = raw.charCodeAt(i) ^ stream[i % 32];
      }
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (err) {
      return null;
    }
  }

  // The right answers of a question (shown after an attempt, reported to the LMS), or null
  // when the quiz never shows them and the page does not hold them.
  function reveal(q) {
    return q.key ? open(q.salt, "key", "", q.key) : null;
  }

  // ------------------------------------------------------------------ matching typed answers
  // Lenient, as docs/assessments.md says: Unicode NFC, typographic quotes as straight ones,
  // runs of spaces as one, no trailing punctuation, small letters unless case matters.

  var WS = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
  var SPACES = new RegExp("[" + WS + "]+", "g");
  var TRAILING = new RegExp("[" + WS + ".,;:!?\\u2026]+$");
  var DOUBLE = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02]/g;
  var SINGLE = /[\u2018\u2019\u201a\u201b\u2039\u203a\u2032\uff07]/g;

  function normalise(text, caseSensitive) {
    var t = String(text).normalize("NFC").replace(DOUBLE, '"').replace(SINGLE, "'");
    t = t.replace(SPACES, " ").replace(/^ +| +$/g, "");
    t = t.replace(TRAILING, "") || t;
    return caseSensitive ? t : t.toLowerCase();
  }

  // A wildcard answer's fixed pieces ([length, tag] each, in order; the first at the start, the
  // last at the end) found in a response (its characters): the pieces' texts, or null.
  function findPieces(salt, prefix, spec, chars) {
    var n = spec.length;
    var total = 0;
    spec.forEach(function (s) {
      total += s[0];
    });
    if (chars.length < total) return null;
    var text = function (from, len) {
      return chars.slice(from, from + len).join("");
    };
    var fits = function (k, piece) {
      return tag(salt, prefix + "piece" + k, piece) === spec[k][1];
    };
    var tail = chars.length - spec[n - 1][0];
    var found = [text(0, spec[0][0])];
    var last = text(tail, spec[n - 1][0]);
    if (!fits(0, found[0]) || !fits(n - 1, last)) return null;
    var pos = spec[0][0];
    for (var k = 1; k < n - 1; k++) {
      var len = spec[k][0];
      var at = -1;
      for (var p = pos; p + len <= tail && at < 0; p++) {
        if (fits(k, text(p, len))) at = p;
      }
      if (at < 0) return null;
      found.push(text(at, len));
      pos = at + len;
    }
    found.push(last);
    return found;
  }

  // What the first typed answer the response matches earns ({f, fb}), or null.
  function matchText(salt, prefix, answers, response, caseSensitive) {
    var norm = normalise(response, caseSensitive);
    var exact = null;
    var chars = null;
    for (var i = 0; i < answers.length; i++) {
      var a = answers[i];
      var opener = null;
      if (a.w) {
        chars = chars || Array.from(norm);
        var pieces = findPieces(salt, prefix, a.w, chars);
        if (pieces) opener = pieces.join("*");
      } else {
        exact = exact || tag(salt, prefix + "answer", norm);
        if (exact === a.t) opener = norm;
      }
      if (opener !== null) return open(salt, prefix + "answer", opener, a.b);
    }
    return null;
  }

  // A typed number as a plain decimal text: a decimal point or comma, spaces anywhere, and
  // the question's unit after it or not ("75%", "75 %", "390 думи", "0,5"); null when it is
  // not a number.
  function numberText(text, unit) {
    var t = String(text).normalize("NFC").replace(SPACES, " ").trim();
    var u = unit ? String(unit).normalize("NFC").replace(SPACES, " ").trim() : "";
    if (u && t.length > u.length && t.slice(-u.length).toLowerCase() === u.toLowerCase()) {
      t = t.slice(0, -u.length);
    }
    t = t.replace(SPACES, "").replace(",", ".");
    return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ? t : null;
  }

  function parseNumber(text, unit) {
    var t = numberText(text, unit);
    return t === null ? null : parseFloat(t);
  }

  // What the first hidden number within its tolerance of the response earns, or null.
  function matchNumber(salt, prefix, answers, response, unit) {
    var x = parseNumber(response, unit);
    if (x === null) return null;
    for (var i = 0; i < answers.length; i++) {
      var a = open(salt, prefix + "number" + i, "", answers[i]);
      if (a && Math.abs(x - a.v) <= (a.t || 0) + 1e-12) return a;
    }
    return null;
  }

  // What choosing an option earns, or null.
  function chosen(salt, prefix, boxes, i) {
    if (i === null || i === undefined || !boxes[i]) return null;
    return open(salt, prefix + "choice", String(i), boxes[i]);
  }

  function gapEarned(q, n, value) {
    var gap = q.gaps[n];
    if (value === null || value === undefined || String(value).trim() === "") return null;
    var prefix = "g" + n + ":";
    if (gap.kind === "dropdown") return chosen(q.salt, prefix, gap.boxes, Number(value));
    if (gap.kind === "numeric") return matchNumber(q.salt, prefix, gap.answers, value, "");
    return matchText(q.salt, prefix, gap.answers, value, gap.caseSensitive);
  }

  // A grade from what an answer earned ({f, fb}) or nothing.
  function earned(e) {
    if (!e) return { fraction: 0, feedback: [] };
    return { fraction: e.f, feedback: e.fb ? [e.fb] : [] };
  }

  // A typed number for SCORM: the unit dropped, a decimal point, in the form the data model's
  // real type takes (as scorm-again checks it); "" otherwise.
  function numberResponse(r, unit) {
    var t = numberText(r, unit);
    return t !== null && /^-?\d{1,5}(\.\d{1,18})?$/.test(t) ? t : "";
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
        var boxes = q.options.map(function (o) {
          return o.box;
        });
        if (single) return earned(chosen(q.salt, "", boxes, r));
        var out = { fraction: 0, feedback: [] };
        r.forEach(function (i) {
          var e = earned(chosen(q.salt, "", boxes, i));
          out.fraction += e.fraction;
          out.feedback = out.feedback.concat(e.feedback);
        });
        return out;
      },
      right: function (q) {
        var key = reveal(q);
        if (!key) return "";
        return key.right
          .map(function (i) {
            return q.options[i].text;
          })
          .join("; ");
      },
      interaction: function (q, r, f) {
        var picked = single ? (r === null ? [] : [r]) : r;
        var key = reveal(q);
        return {
          type: "choice",
          response: f.joinList(f.choiceIds(picked)),
          pattern: key ? f.joinList(f.choiceIds(key.right)) : null,
        };
      },
    };
  }

  // A share of the mark for each place (a matching item, an ordering place) whose response
  // has the right tag.
  function places(q, r, tags, label) {
    var right = 0;
    tags.forEach(function (t, i) {
      var v = r[i];
      if (v !== null && v !== undefined && tag(q.salt, label + i, String(v)) === t) right++;
    });
    return { fraction: tags.length ? right / tags.length : 0, feedback: [] };
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
        if (r === null) return earned(null);
        return earned(open(q.salt, "choice", String(r), q.boxes[String(r)]));
      },
      right: function (q, labels) {
        var key = reveal(q);
        if (!key) return "";
        return key.answer ? labels.true : labels.false;
      },
      interaction: function (q, r, f) {
        var word = function (v) {
          return f.is2004 ? String(v) : v ? "t" : "f";
        };
        var key = reveal(q);
        return {
          type: "true-false",
          response: r === null ? "" : word(r),
          pattern: key ? word(key.answer) : null,
        };
      },
    },
    short: {
      read: typed.read,
      write: typed.write,
      answered: typed.answered,
      grade: function (q, r) {
        return earned(matchText(q.salt, "", q.answers, r, q.caseSensitive));
      },
      right: function (q) {
        var key = reveal(q);
        return key ? key.text : "";
      },
      interaction: function (q, r, f) {
        // a wildcard is no SCORM pattern: the pattern is a right answer written without one
        var key = reveal(q);
        var pattern = key && key.pattern !== null ? f.clean(key.pattern, 250) : null;
        return { type: "fill-in", response: f.clean(r, 250), pattern: pattern };
      },
    },
    numerical: {
      read: typed.read,
      write: typed.write,
      answered: typed.answered,
      grade: function (q, r) {
        return earned(matchNumber(q.salt, "", q.answers, r, q.unit));
      },
      right: function (q) {
        var key = reveal(q);
        if (!key || !key.value) return "";
        var unit = !q.unit ? "" : /^[%‰°]$/.test(q.unit) ? q.unit : " " + q.unit;
        return key.value + (key.tolerance ? " ± " + key.tolerance : "") + unit;
      },
      interaction: function (q, r, f) {
        var key = reveal(q);
        var pattern = null;
        if (key && key.value) pattern = f.is2004 ? key.low + "[:]" + key.high : key.value;
        return { type: "numeric", response: numberResponse(r, q.unit), pattern: pattern };
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
        return places(q, r, q.pairs, "pair");
      },
      right: function (q) {
        var key = reveal(q);
        if (!key) return "";
        return q.prompts
          .map(function (p, i) {
            return p + " → " + q.options[key.correct[i]];
          })
          .join("; ");
      },
      interaction: function (q, r, f) {
        var key = reveal(q);
        var join = f.is2004 ? "[.]" : ".";
        var left = function (i) {
          return f.is2004 ? "p" + (i + 1) : String(i + 1);
        };
        var pairs = [];
        q.prompts.forEach(function (_, i) {
          if (r[i] !== null && r[i] !== undefined) pairs.push(left(i) + join + f.choiceIds([r[i]])[0]);
        });
        var rights = key
          ? key.correct.map(function (c, i) {
              return left(i) + join + f.choiceIds([c])[0];
            })
          : null;
        return {
          type: "matching",
          response: f.joinList(pairs),
          pattern: rights ? f.joinList(rights) : null,
        };
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
        return places(q, r, q.places, "place");
      },
      right: function (q) {
        var key = reveal(q);
        if (!key) return "";
        return key.order
          .map(function (i) {
            return q.items[i];
          })
          .join(" → ");
      },
      interaction: function (q, r, f) {
        var key = reveal(q);
        return {
          type: "sequencing",
          response: f.joinList(f.choiceIds(r)),
          pattern: key ? f.joinList(f.choiceIds(key.order)) : null,
        };
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
        q.gaps.forEach(function (gap, n) {
          var e = gapEarned(q, n, r[n]);
          total += gap.points;
          if (!e) return;
          got += Math.max(0, e.f) * gap.points;
          if (e.fb) fb.push(e.fb);
        });
        return { fraction: total ? got / total : 0, feedback: fb };
      },
      right: function (q) {
        var key = reveal(q);
        return key ? key.gaps.join("; ") : "";
      },
      interaction: function (q, r, f) {
        var many = q.gaps.length > 10;
        var texts = r.map(function (v, i) {
          var gap = q.gaps[i];
          if (gap.kind === "dropdown") return v === null || v === undefined ? "" : gap.texts[v];
          return v || "";
        });
        var sep = f.is2004 && !many ? "[,]" : ",";
        var limit = f.is2004 ? 4000 : 255;
        var key = reveal(q);
        var known =
          key &&
          key.patterns.every(function (p) {
            return p !== null;
          });
        return {
          type: f.is2004 && many ? "long-fill-in" : "fill-in",
          response: f.clean(texts.join(sep), limit),
          pattern: known ? f.clean(key.patterns.join(sep), limit) : null,
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
  // The pieces above for tests and tools: the same normalising, tags and seals as
  // packager/questions/keys.py.
  window.CourseKeys = {
    normalise: normalise,
    parseNumber: parseNumber,
    sha256: sha256,
    tag: tag,
    open: open,
    reveal: reveal,
  };
})();
